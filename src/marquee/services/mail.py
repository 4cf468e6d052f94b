"""Mail the site sends: today only password-reset links (``marquee user reset-password --mail``).

Plain ``smtplib``: STARTTLS when the server offers it, a login when a user is set. A failure is
one ``InputError`` line naming the server, never a traceback.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from marquee.errors import InputError

__all__ = ["MailServer", "send_reset_link"]


@dataclass(frozen=True)
class MailServer:
    """Where mail goes: the settings ``smtp_host``, ``smtp_port``, ``smtp_user``, ``smtp_password``
    and ``smtp_from``."""

    host: str
    port: int = 587
    user: str = ""
    password: str = ""
    sender: str = ""


def send_reset_link(server: MailServer, to: str, name: str, link: str, site_name: str = "Marquee") -> None:
    """Mail ``link`` (a one-time password-reset link) for the member ``name`` to the address ``to``."""
    if "@" not in to or any(ch in to for ch in "\r\n<>,; "):
        raise InputError(f"{to!r}: not one mail address")
    message = EmailMessage()
    message["Subject"] = f"{site_name}: set a new password"
    message["From"] = server.sender or f"marquee@{server.host}"
    message["To"] = to
    message.set_content(
        f"Hello {name},\n\nan admin of {site_name} made this link for you to set a new password:\n\n"
        f"{link}\n\nIt works once, within an hour. If you did not ask for it, ignore this mail.\n"
    )
    try:
        with smtplib.SMTP(server.host, server.port, timeout=30) as smtp:
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls()
                smtp.ehlo()
            if server.user:
                smtp.login(server.user, server.password)
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as err:
        raise InputError(f"cannot send mail through {server.host}:{server.port}: {err}") from None
