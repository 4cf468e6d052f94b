"""``marquee user list|set-role|disable|enable|delete|reset-password`` and ``marquee token list|revoke``:
user administration from the command line (issue 17). Whoever can run these can read the store
anyway, so they act as an admin; each act is written to the moderation log as "(command line)"."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from marquee.cli_common import cli_settings, errors_to_exit, fail, opened_store

__all__ = ["register", "reset_link"]


def reset_link(base_url: str, host: str, port: int, secret: str) -> str:
    """The absolute link of a reset secret: on ``base_url`` if set, else where ``marquee serve`` listens."""
    origin = base_url.rstrip("/") if base_url else f"http://{host}:{port}"
    return f"{origin}/reset/{secret}"


def _dump(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def register(user_app: typer.Typer, token_app: typer.Typer) -> None:
    """Add the administration commands to the ``user`` and ``token`` groups."""

    @user_app.command("list")
    def user_list(
        as_json: Annotated[bool, typer.Option("--json", help="Print the members as JSON.")] = False,
    ) -> None:
        """List the members: role, joined, status, what they wrote, live tokens."""
        from marquee.services.user_admin import list_members

        with opened_store() as store, errors_to_exit():
            members = list_members(store)
        if as_json:
            typer.echo(_dump([m.model_dump(mode="json") for m in members]))
            return
        for m in members:
            joined = m.created_at.date().isoformat()
            typer.echo(
                f"{m.name}\t{m.role}\t{m.status}\tjoined {joined}\t{m.ratings} ratings, "
                f"{m.reviews} reviews, {m.comments} comments, {m.tokens} tokens"
            )

    @user_app.command("set-role")
    def user_set_role(
        name: Annotated[str, typer.Argument(help="Member name.")],
        role: Annotated[str, typer.Argument(help="member, editor, moderator or admin.")],
    ) -> None:
        """Give a member a role: member < editor < moderator < admin."""
        from marquee.services.user_admin import set_role

        with opened_store() as store, errors_to_exit():
            member = set_role(store, name, role)
        typer.echo(f"{member.name} is now {member.role}")

    @user_app.command("disable")
    def user_disable(name: Annotated[str, typer.Argument(help="Member name.")]) -> None:
        """Disable a member: signed out everywhere, no sign-in, no API tokens, until enabled."""
        from marquee.services.user_admin import set_disabled

        with opened_store() as store, errors_to_exit():
            member = set_disabled(store, name, True)
        typer.echo(f"disabled {member.name}")

    @user_app.command("enable")
    def user_enable(name: Annotated[str, typer.Argument(help="Member name.")]) -> None:
        """Enable a disabled member again."""
        from marquee.services.user_admin import set_disabled

        with opened_store() as store, errors_to_exit():
            member = set_disabled(store, name, False)
        typer.echo(f"enabled {member.name}")

    @user_app.command("delete")
    def user_delete(
        name: Annotated[str, typer.Argument(help="Member name.")],
        keep: Annotated[
            bool,
            typer.Option(
                "--keep",
                "--anonymise",
                help="Keep their ratings, reviews, comments and lists, shown as 'deleted member N'.",
            ),
        ] = False,
        remove: Annotated[
            bool, typer.Option("--remove", help="Erase their ratings, reviews, comments and lists too.")
        ] = False,
    ) -> None:
        """Delete a member's account; choose --keep (anonymised) or --remove (erased) for what they wrote."""
        from marquee.services.user_admin import delete_member

        if keep == remove:
            fail("choose one of --keep (contributions kept, anonymised) and --remove (erased)")
        with opened_store() as store, errors_to_exit():
            shown = delete_member(store, name, keep=keep)
        kept = "kept as" if keep else "erased; the account is"
        typer.echo(f"deleted {name}: contributions {kept} {shown!r}")

    @user_app.command("reset-password")
    def user_reset_password(
        name: Annotated[str, typer.Argument(help="Member name.")],
        mail: Annotated[
            str | None,
            typer.Option(
                "--mail", help="Mail the link to this address (needs MARQUEE_SMTP_HOST).", metavar="ADDRESS"
            ),
        ] = None,
    ) -> None:
        """Make a one-time link (good for an hour) to set a new password; printed, or mailed with --mail."""
        from marquee.services.mail import MailServer, send_reset_link
        from marquee.services.user_admin import issue_reset

        settings = cli_settings()
        if mail is not None and not settings.smtp_host:
            fail("--mail needs a mail server: set MARQUEE_SMTP_HOST (and the other MARQUEE_SMTP_ settings)")
        with opened_store(settings) as store, errors_to_exit():
            secret = issue_reset(store, name)
            link = reset_link(settings.base_url, settings.host, settings.port, secret)
            if mail is not None:
                server = MailServer(
                    settings.smtp_host,
                    settings.smtp_port,
                    settings.smtp_user,
                    settings.smtp_password,
                    settings.smtp_from,
                )
                send_reset_link(server, mail, name, link, settings.site_name)
        if mail is not None:
            typer.echo(f"mailed a password-reset link for {name} to {mail} (good for an hour, once)")
            return
        typer.echo(f"password-reset link for {name} (good for an hour, once):")
        typer.echo(link)

    @token_app.command("list")
    def token_list(
        user: Annotated[str | None, typer.Option("--user", "-u", help="Only this member's tokens.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the tokens as JSON.")] = False,
    ) -> None:
        """List live API tokens (never their secrets): id, member, label, prefix, created, last used."""
        from marquee.services.user_admin import list_tokens

        with opened_store() as store, errors_to_exit():
            tokens = list_tokens(store, user)
        if as_json:
            typer.echo(_dump([t.model_dump(mode="json") for t in tokens]))
            return
        for t in tokens:
            used = t.last_used_at.isoformat(timespec="seconds") if t.last_used_at else "never"
            typer.echo(
                f"{t.id}\t{t.user}\t{t.label or '-'}\t{t.prefix}…\t"
                f"created {t.created_at.isoformat(timespec='seconds')}\tused {used}"
            )

    @token_app.command("revoke")
    def token_revoke(
        token_id: Annotated[
            int,
            typer.Argument(metavar="ID", min=1, max=2_147_483_647, help="The token's id (see `token list`)."),
        ],
    ) -> None:
        """Revoke any member's API token by its id."""
        from marquee.services.user_admin import revoke_token

        with opened_store() as store, errors_to_exit():
            revoke_token(store, token_id)
        typer.echo(f"revoked token {token_id}")
