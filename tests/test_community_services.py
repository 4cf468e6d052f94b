"""Ratings, reviews, comments, reports and moderation, on both backends (issue 6)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection

from marquee.errors import NotFound
from marquee.records_community import CommentIn, ReviewIn, User
from marquee.services import accounts, community
from marquee.services.accounts import FieldError, Forbidden
from marquee.services.community import CommentsClosed, Conflict
from marquee.storage import SqlStore
from marquee.storage.community_schema import comments, member_reviews, moderation_log
from marquee.storage.schema import reviews, titles

FILM = "tt0089560"
OTHER = "tt0088763"
PASSWORD = "correct horse battery"


def add_film(store: SqlStore, tconst: str, title: str = "Mask") -> int:
    """A bare title row: the community needs nothing more of a film."""
    with store.writing() as conn:
        return int(
            conn.execute(
                insert(titles).values(title_id=tconst, primary_title=title).returning(titles.c.title_key)
            ).scalar_one()
        )


@pytest.fixture
def films(store: SqlStore) -> SqlStore:
    add_film(store, FILM)
    add_film(store, OTHER, "Back to the Future")
    return store


def member(store: SqlStore, name: str, role: str = "member") -> User:
    return accounts.create_user(store, name, PASSWORD, role)


def review_in(title: str = "Moving", body: str = "**Cher** is great", score: float | None = 8) -> ReviewIn:
    return ReviewIn(title=title, body=body, score=score)


# ---- ratings -------------------------------------------------------------------------------------


def test_rating_summary_average_votes_histogram(films: SqlStore) -> None:
    for name, score in [("a", 8), ("b", 8), ("c", 3)]:
        community.rate(films, member(films, name), FILM, score)
    summary = community.member_rating_summary(films, FILM)
    assert summary.votes == 3
    assert summary.average == pytest.approx(19 / 3, abs=0.01)
    assert summary.histogram[8] == 2 and summary.histogram[3] == 1
    assert sum(summary.histogram.values()) == 3 and set(summary.histogram) == set(range(1, 11))
    empty = community.member_rating_summary(films, OTHER)
    assert (empty.average, empty.votes) == (None, 0)


def test_re_rating_changes_the_vote_and_unrating_removes_it(films: SqlStore) -> None:
    ada = member(films, "ada")
    community.rate(films, ada, FILM, 4)
    community.rate(films, ada, FILM, 9)
    assert community.my_rating(films, ada, FILM) == 9
    summary = community.member_rating_summary(films, FILM)
    assert (summary.votes, summary.histogram[4], summary.histogram[9]) == (1, 0, 1)
    assert community.unrate(films, ada, FILM)
    assert not community.unrate(films, ada, FILM)
    assert community.member_rating_summary(films, FILM).votes == 0
    assert community.my_rating(films, ada, FILM) is None


@pytest.mark.parametrize("score", [0, 11, -1])
def test_ratings_outside_1_to_10_are_refused(films: SqlStore, score: int) -> None:
    with pytest.raises(FieldError) as caught:
        community.rate(films, member(films, "ada"), FILM, score)
    assert caught.value.field == "score"


def test_rating_an_unknown_film(films: SqlStore) -> None:
    with pytest.raises(NotFound):
        community.rate(films, member(films, "ada"), "tt9999999", 5)
    with pytest.raises(NotFound):
        community.member_rating_summary(films, "tt9999999")


# ---- reviews -------------------------------------------------------------------------------------


def test_review_is_rendered_and_sanitised(films: SqlStore) -> None:
    ada = member(films, "ada")
    body = "**Cher** <script>window.__xss=1</script> [x](javascript:alert(1))"
    saved = community.post_review(films, ada, FILM, review_in(body=body), scale=10)
    assert saved.author == "ada" and saved.body == body
    assert "<strong>Cher</strong>" in saved.body_html
    assert "<script" not in saved.body_html and "javascript:" not in saved.body_html.replace(
        "(javascript:", ""
    )
    assert saved.score is not None and (saved.score.value, saved.score.scale) == (8, 10)


def test_one_review_per_member_per_film(films: SqlStore) -> None:
    ada = member(films, "ada")
    community.post_review(films, ada, FILM, review_in(), scale=10)
    with pytest.raises(Conflict):
        community.post_review(films, ada, FILM, review_in(title="Again"), scale=10)
    community.post_review(films, ada, OTHER, review_in(), scale=10)  # another film is fine
    with films.reading() as conn:
        assert conn.execute(select(func.count()).select_from(member_reviews)).scalar_one() == 2


@pytest.mark.parametrize(
    ("scale", "good", "bad"),
    [(10, [1, 7, 10], [0, 7.5, 11]), (5, [0.5, 3.5, 5], [0, 3.25, 5.5, 6])],
)
def test_review_scores_follow_the_site_scale(
    films: SqlStore, scale: int, good: list[float], bad: list[float]
) -> None:
    for score in bad:
        with pytest.raises(FieldError) as caught:
            community.post_review(
                films, member(films, f"bad{score}"), FILM, review_in(score=score), scale=scale
            )
        assert caught.value.field == "score"
    for score in good:
        saved = community.post_review(
            films, member(films, f"good{score}"), FILM, review_in(score=score), scale=scale
        )
        assert saved.score is not None and (saved.score.value, saved.score.scale) == (score, scale)


def test_a_member_cannot_edit_or_delete_anothers_review(films: SqlStore) -> None:
    ada, eve = member(films, "ada"), member(films, "eve")
    saved = community.post_review(films, ada, FILM, review_in(), scale=10)
    with pytest.raises(Forbidden):
        community.edit_review(films, eve, saved.id, review_in(title="Defaced"), scale=10)
    with pytest.raises(Forbidden):
        community.delete_review(films, eve, saved.id)
    assert community.get_review(films, saved.id).title == "Moving"
    edited = community.edit_review(
        films, ada, saved.id, review_in(title="Still moving", score=None), scale=10
    )
    assert (edited.title, edited.score, edited.updated_at is not None) == ("Still moving", None, True)
    community.delete_review(films, ada, saved.id)
    with pytest.raises(NotFound):
        community.get_review(films, saved.id)


def test_helpful_votes_and_sorting(films: SqlStore) -> None:
    authors = [member(films, n) for n in ("ada", "bob", "cy")]
    voters = [member(films, f"voter{i}") for i in range(3)]
    first, second, third = (
        community.post_review(films, a, FILM, review_in(title=a.name), scale=10) for a in authors
    )
    for voter in voters:
        community.vote_review(films, voter, second.id, True)
    community.vote_review(films, voters[0], first.id, False)
    community.vote_review(films, voters[1], third.id, True)
    community.vote_review(films, voters[1], third.id, False)  # changed their mind: one vote, not two
    with pytest.raises(Forbidden):
        community.vote_review(films, authors[0], first.id, True)
    by_help = community.list_reviews(films, FILM, sort="helpful")
    assert [r.title for r in by_help] == ["bob", "cy", "ada"]  # cy and ada tie: newer first
    assert by_help[0].helpful == 3 and by_help[0].not_helpful == 0
    third_now = next(r for r in by_help if r.title == "cy")
    assert (third_now.helpful, third_now.not_helpful) == (0, 1)
    by_date = community.list_reviews(films, FILM, sort="date")
    assert [r.title for r in by_date] == ["cy", "bob", "ada"]
    community.vote_review(films, voters[0], first.id, None)
    assert community.get_review(films, first.id).not_helpful == 0


def test_imported_reviews_keep_author_date_and_score(films: SqlStore) -> None:
    with films.writing() as conn:
        film_id = conn.execute(select(titles.c.title_key).where(titles.c.title_id == FILM)).scalar_one()
        conn.execute(
            insert(reviews).values(
                title_key=film_id,
                ordering=0,
                title="A classic",
                body="Old review",
                score_value=4.5,
                score_scale=5,
                author="Roger",
                date=dt.date(1985, 3, 8),
            )
        )
    community.post_review(films, member(films, "ada"), FILM, review_in(), scale=10)
    [imported] = community.imported_reviews(films, FILM)
    assert (imported.author, imported.date, imported.title) == ("Roger", dt.date(1985, 3, 8), "A classic")
    assert imported.score is not None and (imported.score.value, imported.score.scale) == (4.5, 5)
    assert [r.author for r in community.list_reviews(films, FILM)] == ["ada"]


# ---- comments ------------------------------------------------------------------------------------


def test_threaded_comments_with_reply_edit_delete(films: SqlStore) -> None:
    ada, bob = member(films, "ada"), member(films, "bob")
    top = community.post_comment(films, ada, FILM, CommentIn(body="Saw it in *1985*"))
    reply = community.post_comment(films, bob, FILM, CommentIn(body="Me too", parent=top.id))
    community.post_comment(films, ada, FILM, CommentIn(body="Nice", parent=reply.id))
    [thread] = community.list_comments(films, FILM)
    assert thread.author == "ada" and "<em>1985</em>" in thread.body_html
    assert thread.replies[0].author == "bob" and thread.replies[0].replies[0].body == "Nice"
    community.edit_comment(films, bob, reply.id, "Me too, twice")
    with pytest.raises(Forbidden):
        community.edit_comment(films, ada, reply.id, "bob is wrong")
    with pytest.raises(Forbidden):
        community.delete_comment(films, ada, reply.id)
    community.delete_comment(films, bob, reply.id)
    [thread] = community.list_comments(films, FILM)
    gone = thread.replies[0]
    assert (gone.status, gone.body, gone.author) == ("deleted", "", None)
    assert gone.replies[0].body == "Nice"  # replies to a deleted comment stay
    assert community.list_comments(films, OTHER) == []


def test_comments_under_a_review_are_their_own_thread(films: SqlStore) -> None:
    ada, bob = member(films, "ada"), member(films, "bob")
    saved = community.post_review(films, ada, FILM, review_in(), scale=10)
    on_review = community.post_comment(films, bob, FILM, CommentIn(body="Agreed"), review_id=saved.id)
    assert on_review.review_id == saved.id
    assert community.list_comments(films, FILM) == []
    assert [c.body for c in community.list_comments(films, FILM, review_id=saved.id)] == ["Agreed"]
    top = community.post_comment(films, bob, FILM, CommentIn(body="On the film"))
    with pytest.raises(FieldError) as caught:  # a reply must stay in its own thread
        community.post_comment(films, ada, FILM, CommentIn(body="x", parent=top.id), review_id=saved.id)
    assert caught.value.field == "parent"
    community.delete_review(films, ada, saved.id)
    with films.reading() as conn:
        assert conn.execute(select(func.count()).select_from(comments)).scalar_one() == 1


def test_a_closed_film_refuses_comments_from_everyone(films: SqlStore) -> None:
    ada, mod = member(films, "ada"), member(films, "mod", "moderator")
    first = community.post_comment(films, ada, FILM, CommentIn(body="Before"))
    with pytest.raises(Forbidden):
        community.close_comments(films, ada, FILM)  # members cannot close comments
    assert community.comments_open(films, FILM)
    community.close_comments(films, mod, FILM, reason="flame war")
    assert not community.comments_open(films, FILM)
    for who in (ada, mod):
        with pytest.raises(CommentsClosed, match="Comments are closed"):
            community.post_comment(films, who, FILM, CommentIn(body="After"))
    with pytest.raises(CommentsClosed):
        community.post_comment(films, ada, FILM, CommentIn(body="Reply", parent=first.id))
    with pytest.raises(CommentsClosed):
        community.edit_comment(films, ada, first.id, "Edited after closing")
    community.post_comment(films, ada, OTHER, CommentIn(body="Elsewhere is open"))
    community.open_comments(films, mod, FILM)
    community.post_comment(films, ada, FILM, CommentIn(body="Open again"))
    log = community.moderation_log_entries(films, mod)
    assert [(e.action, e.target_id, e.moderator) for e in log] == [
        ("open_comments", FILM, "mod"),
        ("close_comments", FILM, "mod"),
    ]
    assert log[1].reason == "flame war"


# ---- reports and moderation ----------------------------------------------------------------------


def test_report_queue_hide_restore_delete_logged(films: SqlStore) -> None:
    ada, bob, mod = member(films, "ada"), member(films, "bob"), member(films, "mod", "moderator")
    rude = community.post_comment(films, ada, FILM, CommentIn(body="Rude words"))
    saved = community.post_review(films, ada, FILM, review_in(body="Spam spam"), scale=10)
    community.report(films, bob, "comment", rude.id, "rude")
    community.report(films, bob, "comment", rude.id, "very rude")  # once per reporter
    community.report(films, bob, "review", saved.id, "spam")
    with pytest.raises(Forbidden):
        community.open_reports(films, bob)
    queue = community.open_reports(films, mod)
    assert [(r.target, r.reason, r.excerpt) for r in queue] == [
        ("comment", "very rude", "Rude words"),
        ("review", "spam", "Spam spam"),
    ]
    with pytest.raises(Forbidden):
        community.moderate(films, bob, "comment", rude.id, "hide")

    community.moderate(films, mod, "comment", rude.id, "hide", "rule 2")
    [shown] = community.list_comments(films, FILM)
    assert (shown.status, shown.body) == ("hidden", "")
    [to_mod] = community.list_comments(films, FILM, viewer=mod)
    assert to_mod.body == "Rude words"
    assert [r.target for r in community.open_reports(films, mod)] == ["review"]

    community.moderate(films, mod, "comment", rude.id, "restore")
    assert community.list_comments(films, FILM)[0].body == "Rude words"
    community.moderate(films, mod, "review", saved.id, "hide")
    assert community.list_reviews(films, FILM) == []
    assert [r.id for r in community.list_reviews(films, FILM, viewer=ada)] == [
        saved.id
    ]  # author still sees it
    community.moderate(films, mod, "review", saved.id, "delete")
    with pytest.raises(NotFound):
        community.get_review(films, saved.id, viewer=mod)
    assert community.open_reports(films, mod) == []
    with films.reading() as conn:
        logged = conn.execute(
            select(
                moderation_log.c.moderator_name, moderation_log.c.action, moderation_log.c.target
            ).order_by(moderation_log.c.id)
        ).all()
    assert [tuple(row) for row in logged] == [
        ("mod", "hide", "comment"),
        ("mod", "restore", "comment"),
        ("mod", "hide", "review"),
        ("mod", "delete", "review"),
    ]
    assert all(e.created_at.tzinfo is not None for e in community.moderation_log_entries(films, mod))


def test_reporting_something_that_is_not_there(films: SqlStore) -> None:
    with pytest.raises(NotFound):
        community.report(films, member(films, "ada"), "comment", 12345)


def test_a_failed_write_leaves_nothing_half_written(films: SqlStore) -> None:
    ada = member(films, "ada")
    with pytest.raises(FieldError):
        community.post_comment(films, ada, FILM, CommentIn(body="orphan", parent=999))
    with films.reading() as conn:
        assert conn.execute(select(func.count()).select_from(comments)).scalar_one() == 0


def test_write_transaction_keeps_nothing_of_a_write_that_fails_halfway(films: SqlStore) -> None:
    ada = member(films, "ada")

    def half_then_fail(conn: Connection) -> None:
        conn.execute(
            insert(comments).values(
                title_id=FILM, user_id=ada.id, body="first half", status="visible", created_at=accounts.now()
            )
        )
        raise RuntimeError("the disk is full")

    with pytest.raises(RuntimeError):
        accounts.write_transaction(films, half_then_fail)
    with films.reading() as conn:
        assert conn.execute(select(func.count()).select_from(comments)).scalar_one() == 0
