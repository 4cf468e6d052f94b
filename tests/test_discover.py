"""More like this and recommendations (issue 21): scoring, storage on both backends, CLI, site, API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import insert, select

from marquee.errors import InputError, NotFound
from marquee.records import CastMember, Film, PersonRef, Rating
from marquee.services import accounts, community, discover
from marquee.services import similar_scoring as scoring
from marquee.settings import Settings
from marquee.storage import SqlStore
from marquee.storage import similar as similar_rows
from marquee.storage.library_schema import watchlist
from marquee.storage.similar import title_similar
from marquee.web.app import create_app
from support.cli import marquee_on
from support.members import PASSWORD, sign_up, token_in
from support.web import TestClient, read_page

BOGDANOVICH = PersonRef(name="Peter Bogdanovich", id="nm0000953")
CHER = "nm0000128"


def film(tconst: str, title: str, year: int, genres: list[str], **extra: object) -> Film:
    return Film(
        id=tconst, title=title, year=year, genres=genres, rating=Rating(value=7.0, votes=100), **extra
    )


def cast(*people: tuple[str, str]) -> list[CastMember]:
    return [CastMember(name=name, id=nconst) for nconst, name in people]


CATALOGUE = [
    film(
        "tt0089560",
        "Mask",
        1985,
        ["Drama", "Biography"],
        directors=[BOGDANOVICH],
        cast=cast((CHER, "Cher"), ("nm0000624", "Sam Elliott")),
    ),
    film("tt0070510", "Paper Moon", 1973, ["Comedy", "Drama"], directors=[BOGDANOVICH]),
    film("tt0093565", "Moonstruck", 1987, ["Comedy", "Romance"], cast=cast((CHER, "Cher"))),
    film("tt0088763", "Back to the Future", 1985, ["Adventure", "Comedy"]),
    film("tt0090605", "Aliens", 1986, ["Action", "Sci-Fi"]),
    film("tt0091042", "Ferris Bueller's Day Off", 1986, ["Comedy"]),
]


@pytest.fixture
def films(store: SqlStore) -> SqlStore:
    store.save_films(CATALOGUE)
    return store


def member(store: SqlStore, name: str) -> accounts.User:
    return accounts.create_user(store, name, PASSWORD)


# ---- the pure scoring ----------------------------------------------------------------------------


def test_content_score_prefers_shared_people_over_shared_genres() -> None:
    mask = scoring.Features("a", "movie", 1985, ("Drama",), (("director", "nm1", "P"),))
    same_director = scoring.Features("b", "movie", 1973, ("Comedy",), (("director", "nm1", "P"),))
    same_genre = scoring.Features("c", "movie", 1973, ("Drama",), ())
    found = scoring.neighbours(mask, [same_genre, same_director], {}, {})
    assert [n.tconst for n in found] == ["b", "c"]
    assert found[0].reason == "Directed by P"
    assert found[1].reason == "Also Drama"
    assert scoring.content_score(scoring.vector(mask), scoring.vector(mask)) == pytest.approx(1.0)


def test_co_ratings_outweigh_content_when_many_members_rated_both() -> None:
    a = scoring.Features("a", genres=("Drama",), people=(("director", "nm1", "P"),))
    liked_together = scoring.Features("b", genres=("Horror",), year=1950)
    same_genre = scoring.Features("c", genres=("Drama",))
    found = scoring.neighbours(a, [same_genre, liked_together], {"b": 40}, {"a": 40, "b": 40, "c": 3})
    assert found[0].tconst == "b" and found[0].reason == "Rated by 40 of the same members"
    assert scoring.blend(0.5, 0, 0, 0) == 0.5  # a film nobody rated: content alone
    assert scoring.blend(0.5, 0, 10, 10) == pytest.approx(0.5 / 3)  # rated, but never with this one


def test_recommend_sums_neighbours_excludes_and_names_the_strongest_source() -> None:
    lists = {"x": [("p", 0.9), ("q", 0.2), ("seen", 0.9)], "y": [("q", 0.6), ("p", 0.1)]}
    found = scoring.recommend({"x": 10, "y": 4}, lists, exclude={"seen"})
    assert [r.tconst for r in found] == ["p", "q"]
    assert found[0].because == "x" and found[0].because_score == 10
    assert found[1].because == "y"  # 0.4 × 0.6 beats 1.0 × 0.2
    assert found[0].score == pytest.approx(0.9 + 0.04)
    assert found[1].score == pytest.approx(0.2 + 0.24)


def test_recent_ratings_weigh_more_and_equal_times_alike() -> None:
    assert scoring.rating_ages({"old": 1, "mid": 5, "new": 9, "new2": 9}) == {
        "old": 3,
        "mid": 2,
        "new": 0,
        "new2": 0,
    }
    lists = {"old": [("p", 0.5)], "new": [("q", 0.5)]}
    rated = {"old": 10, "new": 10}
    flat = scoring.recommend(rated, lists, set())
    assert [r.tconst for r in flat] == ["p", "q"]  # a tie, by id
    recent = scoring.recommend(rated, lists, set(), ages={"old": 2, "new": 0}, half_life=2.0)
    assert [r.tconst for r in recent] == ["q", "p"]
    assert recent[1].score == pytest.approx(0.25)  # two newer ratings: half the weight


def test_bulk_build_matches_one_film_at_a_time() -> None:
    """The vectorised bulk build and the one-film refresh run one kernel: same lists, same reasons."""
    people = [("director", f"nm{i % 7}", f"D{i % 7}") for i in range(40)]
    films = {
        f"t{i:02d}": scoring.Features(
            f"t{i:02d}",
            "movie",
            1950 + i * 2,
            ("Drama", ("Comedy", "Horror", "War")[i % 3]),
            (people[i], ("cast", f"nm{100 + i % 11}", f"C{i % 11}")),
            votes=i * 3,
        )
        for i in range(40)
    }
    ratings = [(f"u{u}", f"t{(u * 7 + k * 3) % 40:02d}") for u in range(12) for k in range(6)]
    bulk = dict(scoring.neighbours_all(films, ratings))
    raters: dict[str, set[str]] = {}
    for user, tconst in ratings:
        raters.setdefault(tconst, set()).add(user)
    counts = {t: len(users) for t, users in raters.items()}
    for tconst, film in films.items():
        co = {
            other: len(raters.get(tconst, set()) & users)
            for other, users in raters.items()
            if other != tconst and raters.get(tconst, set()) & users
        }
        one = scoring.neighbours(film, [f for t, f in films.items() if t != tconst], co, counts)
        # every film is a candidate of the bulk build here (all are Drama: the group keeps 50)
        assert bulk[tconst] == one, tconst
        assert len(one) == min(39, scoring.KEEP if counts.get(tconst) else scoring.KEEP_UNRATED)
    assert any(n.reason.startswith("Rated by") for ns in bulk.values() for n in ns)
    assert any(n.reason.startswith("Directed by D") for ns in bulk.values() for n in ns)


def test_some_films_score_as_in_the_whole_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """``only``: those films' lists (in small steps here), each as the whole build gives it; ids the
    catalogue lacks are passed over."""
    monkeypatch.setattr(scoring, "CHUNK", 3)
    films = {
        f"t{i:02d}": scoring.Features(
            f"t{i:02d}",
            "movie",
            1950 + i,
            (("Drama", "Comedy", "War")[i % 3],),
            (("director", f"nm{i % 5}", f"D{i % 5}"), ("cast", f"nm{50 + i % 9}", f"C{i % 9}")),
            votes=i,
        )
        for i in range(30)
    }
    ratings = [(f"u{u}", f"t{(u * 5 + k * 7) % 30:02d}") for u in range(9) for k in range(5)]
    whole = dict(scoring.neighbours_all(films, ratings))
    wanted = ["t29", "t03", "t17", "t04", "t05", "gone"]
    some = list(scoring.neighbours_all(films, ratings, only=wanted))
    assert [t for t, _ in some] == ["t03", "t04", "t05", "t17", "t29"]
    assert all(found == whole[t] and found for t, found in some)


def test_co_rating_candidates_are_cut_to_the_best(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past CO_CANDIDATES co-rated films, only the best by co / sqrt(n_b) are scored."""
    monkeypatch.setattr(scoring, "CO_CANDIDATES", 2)
    monkeypatch.setattr(scoring, "GROUP_CANDIDATES", 0)
    films = {t: scoring.Features(t, genres=("G" + t,)) for t in ("a", "b", "c", "d")}
    # b is rated with a by everyone, c by two, d by one: a's candidates are b and c.
    ratings = [(u, "a") for u in "xyz"] + [(u, "b") for u in "xyz"] + [("x", "c"), ("y", "c"), ("x", "d")]
    found = dict(scoring.neighbours_all(films, ratings))
    assert [n.tconst for n in found["a"]] == ["b", "c"]
    assert found["a"][0].reason == "Rated by 3 of the same members"


# ---- storage and services, both backends ---------------------------------------------------------


def test_rebuild_stores_lists_and_similar_reads_them(films: SqlStore) -> None:
    assert discover.rebuild_similar(films) == len(CATALOGUE)
    found = discover.similar_titles(films, "tt0089560", limit=3)
    assert [f.id for f in found[:2]] == ["tt0070510", "tt0093565"]
    assert found[0].reason.startswith("Directed by Peter Bogdanovich")
    assert found[1].reason == "With Cher"
    assert found[0].title == "Paper Moon" and found[0].year == 1973
    with films.reading() as conn:
        rows = conn.execute(select(title_similar.c.title_id).distinct()).scalars().all()
    assert len(rows) == len(CATALOGUE)


@pytest.mark.parametrize("batch", [1, 2, 5, 6, 20_000])
def test_features_stream_in_batches_of_titles_each_title_once(films: SqlStore, batch: int) -> None:
    """Batches are counted in titles, not id ranges: the catalogue's ids are far apart (tt0070510 to
    tt0093565), and every title comes once, with the features the whole read gives it."""
    with films.reading() as conn:
        streamed = list(similar_rows.iter_features(conn, batch=batch))
        whole = similar_rows.all_features(conn)
    assert {row.title_id: row for row in streamed} == whole
    assert len(streamed) == len({row.title_id for row in streamed}) == len(CATALOGUE)


def test_a_rating_refreshes_the_rated_films_list(films: SqlStore) -> None:
    discover.rebuild_similar(films)
    before = {f.id: f for f in discover.similar_titles(films, "tt0090605")}
    for name in ("ann", "bob", "cy"):
        user = member(films, name)
        community.rate(films, user, "tt0091042", 9)
        community.rate(films, user, "tt0090605", 8)
    after = discover.similar_titles(films, "tt0090605")
    assert after[0].id == "tt0091042" and after[0].reason == "Rated by 3 of the same members"
    assert before["tt0091042"].reason == "1980s" and after[0].score > before["tt0091042"].score
    # The refresh scores as the bulk build does.
    discover.rebuild_similar(films)
    assert discover.similar_titles(films, "tt0090605") == after


def test_recommendations_leave_out_rated_and_listed_and_give_reasons(films: SqlStore) -> None:
    ann = member(films, "ann")
    community.rate(films, ann, "tt0089560", 10)
    with films.writing() as conn:
        conn.execute(insert(watchlist).values(user_id=ann.id, title_id="tt0093565"))
    discover.rebuild_similar(films)
    found = discover.recommendations(films, "ANN")
    ids = [r.id for r in found]
    assert ids[0] == "tt0070510"
    assert "tt0089560" not in ids and "tt0093565" not in ids
    assert found[0].reason == "Because you rated Mask 10/10"
    assert found[0].because_id == "tt0089560"


def test_unknown_and_bad_input_are_clear_errors(films: SqlStore) -> None:
    with pytest.raises(NotFound, match="no film with id 'tt404'"):
        discover.similar_titles(films, "tt404")
    with pytest.raises(NotFound, match="no member named 'nobody'"):
        discover.recommendations(films, "nobody")
    with pytest.raises(InputError, match="must not be empty"):
        discover.similar_titles(films, " ")
    with pytest.raises(InputError, match="longer than"):
        discover.recommendations(films, "x" * 10_000_000)
    with pytest.raises(NotFound):
        discover.refresh_similar(films, "tt404")
    # A film gone from the catalogue whose list is still stored is not found either.
    with films.writing() as conn:
        conn.execute(
            insert(title_similar).values(
                title_id="ttgone", rank=1, similar_id="tt0089560", score=0.5, reason="Also Drama"
            )
        )
    with pytest.raises(NotFound, match="ttgone"):
        discover.similar_titles(films, "ttgone")


# ---- CLI -----------------------------------------------------------------------------------------


def run(url: str, *args: str) -> Result:
    return marquee_on(url)(*args)


def test_cli_similar_rebuild_json_and_errors(films: SqlStore, db_url: str) -> None:
    built = run(db_url, "similar", "--rebuild")
    assert built.exit_code == 0, built.output
    out = run(db_url, "similar", "tt0089560", "--json")
    assert json.loads(out.stdout)[0]["id"] == "tt0070510"
    text = run(db_url, "similar", "tt0089560")
    assert "Paper Moon (1973)" in text.stdout
    missing = run(db_url, "similar", "tt404")
    assert missing.exit_code == 2
    assert missing.stderr.strip() == "marquee: error: no film with id 'tt404'"
    neither = run(db_url, "similar")
    assert neither.exit_code == 1 and "give a film ID" in neither.stderr


def test_cli_recommend(films: SqlStore, db_url: str) -> None:
    community.rate(films, member(films, "ann"), "tt0089560", 9)
    discover.rebuild_similar(films)
    out = run(db_url, "recommend", "--user", "ann", "--json")
    assert out.exit_code == 0
    first = json.loads(out.stdout)[0]
    assert first["id"] == "tt0070510" and first["reason"] == "Because you rated Mask 9/10"
    unknown = run(db_url, "recommend", "--user", "nobody")
    assert unknown.exit_code == 2
    assert unknown.stderr.strip() == "marquee: error: no member named 'nobody'"
    huge = run(db_url, "recommend", "--user", "x" * 100_000)
    assert huge.exit_code == 1 and len(huge.stderr.splitlines()) == 1


# ---- the site and the API ------------------------------------------------------------------------


@pytest.fixture
def site(films: SqlStore) -> Iterator[TestClient]:
    discover.rebuild_similar(films)
    with TestClient(create_app(Settings(page_cache_size=0), films), follow_redirects=False) as client:
        yield client


def test_film_page_shows_more_like_this(site: TestClient) -> None:
    page = read_page(site.get("/title/tt0089560").text)
    section = page.section("more-like-this")
    assert "Paper Moon (1973)" in section and "Directed by Peter Bogdanovich" in section


def test_api_similar_and_its_errors(site: TestClient) -> None:
    answer = site.get("/api/v1/titles/tt0089560/similar?limit=2")
    assert answer.status_code == 200
    body = answer.json()
    assert body["id"] == "tt0089560" and len(body["similar"]) == 2
    assert body["similar"][0]["id"] == "tt0070510"
    assert site.get("/api/v1/titles/tt404/similar").status_code == 404
    assert site.get("/api/v1/titles/tt0089560/similar?limit=0").status_code == 400
    assert site.get("/api/v1/titles/" + "t" * 10_000 + "/similar").status_code in (400, 404, 414)


def test_api_recommendations_are_the_owners_alone(site: TestClient, films: SqlStore) -> None:
    ann = member(films, "ann")
    community.rate(films, ann, "tt0089560", 10)
    discover.rebuild_similar(films)
    own = {"Authorization": f"Bearer {accounts.create_token(films, 'ann')}"}
    answer = site.get("/api/v1/users/ann/recommendations", headers=own)
    assert answer.status_code == 200
    assert answer.json()["recommendations"][0]["reason"] == "Because you rated Mask 10/10"
    assert site.get("/api/v1/users/ann/recommendations").status_code == 401
    member(films, "bob")
    other = {"Authorization": f"Bearer {accounts.create_token(films, 'bob')}"}
    assert site.get("/api/v1/users/ann/recommendations", headers=other).status_code == 403
    assert site.get("/api/v1/users/nobody/recommendations", headers=own).status_code == 403


def test_account_page_shows_recommendations(site: TestClient, films: SqlStore) -> None:
    sign_up(site, "cleo")
    token = token_in(site.get("/title/tt0089560").text)
    rated = site.post("/title/tt0089560/rating", data={"csrf_token": token, "score": "9"})
    assert rated.status_code == 303
    discover.rebuild_similar(films)
    section = read_page(site.get("/account").text).section("recommendations")
    assert "Paper Moon" in section and "Because you rated Mask 9/10" in section


def test_bench_reads_movielens_files(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "bench_recommend", Path(__file__).parents[1] / "bench" / "bench_recommend.py"
    )
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    (tmp_path / "movies.csv").write_text(
        "movieId,title,genres\n1,Toy Story (1995),Animation|Comedy\n2,X,(no genres listed)\n"
    )
    (tmp_path / "ratings.csv").write_text("userId,movieId,rating,timestamp\n1,1,4.5,10\n1,2,1.0,20\n")
    films_read, ratings = bench.load(tmp_path)
    assert films_read["1"].year == 1995 and films_read["2"].genres == ()
    train, held = bench.split(ratings)
    assert held == {"1": "2"} and train == {"1": {"1": 9}}


def test_the_demo_comes_with_more_like_this(store: SqlStore) -> None:
    from marquee.services.demo import REFERENCE_ID, ensure_demo_store

    assert ensure_demo_store(store, limit=200) is True
    found = discover.similar_titles(store, REFERENCE_ID)
    assert len(found) == 10 and all(f.reason for f in found)
    with store.reading() as conn:
        listed = conn.execute(select(title_similar.c.title_id).distinct()).scalars().all()
    assert len(listed) >= 0.95 * store.count_films()  # a film with no genre, year or credit has none


def test_bench_similar_build_runs_small(capsys: pytest.CaptureFixture[str]) -> None:
    import argparse
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "bench_similar_build", Path(__file__).parents[1] / "bench" / "bench_similar_build.py"
    )
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    bench.build(argparse.Namespace(titles=300, members=20, per_member=10))
    out = capsys.readouterr().out
    assert "built: 300 films with a list" in out and "peak RSS" in out


def test_import_json_builds_similar_films(db_url: str, tmp_path: Path) -> None:
    lines = tmp_path / "films.jsonl"
    lines.write_text("".join(f.model_dump_json() + "\n" for f in CATALOGUE), encoding="utf-8")
    imported = run(db_url, "import", "json", str(lines))
    assert imported.exit_code == 0, imported.output
    out = run(db_url, "similar", "tt0089560", "--json")
    assert [f["id"] for f in json.loads(out.stdout)][:2] == ["tt0070510", "tt0093565"]


def test_a_large_import_is_told_to_rebuild_instead(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import marquee.cli_discover

    monkeypatch.setattr(marquee.cli_discover, "AUTO_REBUILD_MAX_FILMS", 1)
    lines = tmp_path / "films.jsonl"
    lines.write_text("".join(f.model_dump_json() + "\n" for f in CATALOGUE), encoding="utf-8")
    imported = run(db_url, "import", "json", str(lines))
    assert imported.exit_code == 0
    assert "run `marquee similar --rebuild`" in imported.stderr
    assert json.loads(run(db_url, "similar", "tt0089560", "--json").stdout) == []


def test_the_step_after_an_import_is_named_to_the_progress_display(
    films: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import marquee.cli_discover as cli_discover

    steps: list[str] = []
    cli_discover.after_import(films, steps.append)
    assert steps == [cli_discover.SIMILAR_STEP]
    assert discover.similar_titles(films, "tt0089560")  # and the lists are built
    monkeypatch.setattr(cli_discover, "AUTO_REBUILD_MAX_FILMS", 1)
    steps.clear()
    cli_discover.after_import(films, steps.append)
    assert steps == []  # too many films: nothing runs, only a note


class _Ranks:
    """The per-film arrays ``similar_kernel.pair_order`` reads from ``Matrices``."""

    def __init__(self, votes: list[int], seed: int) -> None:
        import numpy as np

        n = len(votes)
        self.votes = np.asarray(votes, dtype=np.int64)
        self.id_rank = np.random.default_rng(seed).permutation(n).astype(np.int64)
        self.tie_rank = np.empty(n, dtype=np.int64)
        self.tie_rank[np.lexsort((self.id_rank, -self.votes))] = np.arange(n, dtype=np.int64)


@pytest.mark.parametrize("digits", [6, 9])
def test_pairs_are_ordered_as_by_the_four_key_lexsort_ties_and_unrounded_scores_included(
    digits: int,
) -> None:
    import numpy as np

    from marquee.services.similar_kernel import pair_order

    rng = np.random.default_rng(21)
    films = 300
    ranks = _Ranks([int(v) for v in rng.integers(0, 4, films)], seed=5)  # many equal votes
    pairs = rng.choice(films * films, 5_000, replace=False)
    r, c = pairs // films + 40, pairs % films  # rows need not start at 0
    score = np.round(rng.choice([0.25, 0.5, 0.123457, 1.0], len(r)) + rng.random(len(r)) * 1e-7, digits)
    expected = np.lexsort((ranks.id_rank[c], -ranks.votes[c], -score, r))
    found = pair_order(ranks, r, c, score)  # type: ignore[arg-type]
    assert found.tolist() == expected.tolist()
