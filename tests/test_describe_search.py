"""Search by description (issue 21): the model, the stored vectors on both backends, user model
folders, the CLI, the site, its JSON twin and the API, and bad input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from click.testing import Result
from scipy import sparse

from marquee.errors import InputError
from marquee.records import Film, Rating
from marquee.services import describe
from marquee.services import describe_model as maths
from marquee.services.describe_user import load_user_model
from marquee.settings import Settings
from marquee.storage import SqlStore
from marquee.web.app import create_app
from support.cli import marquee_on
from support.web import TestClient

MASK = "tt0089560"
HUGE = "x" * (10 * 1024 * 1024)  # a 10 MB query (the service, the CLI)
LONG_URL = "x " * 30_000  # near the longest query string an HTTP client sends (httpx: 64 KiB)


def film(tconst: str, title: str, plot: str, **extra: object) -> Film:
    return Film(id=tconst, title=title, year=1985, plot=plot, rating=Rating(value=7.0, votes=100), **extra)


CATALOGUE = [
    film(
        MASK,
        "Mask",
        "Rusty, a biker mother, raises her teenage son Rocky, whose skull is deformed by a rare disease; "
        "he is clever and funny, and longs to see the world.",
        taglines=["A true story."],
    ),
    film("tt0000002", "Desert Run", "A motorcycle gang of bikers roars down the desert highway to a rally."),
    film("tt0000003", "Chrome Wheels", "Bikers on motorcycles fight a rival gang over a small town bar."),
    film("tt0000004", "Red Planet", "An astronaut stranded on Mars grows potatoes to survive until rescue."),
    film("tt0000005", "Jaws of Summer", "A great white shark terrorises a beach town and its police chief."),
    film("tt0000006", "Spellbound", "A young wizard attends a school of magic and fights a dark lord."),
    film("tt0000007", "Seven Sins", "Two detectives hunt a serial killer who stages the seven deadly sins."),
    film("tt0000008", "Toy Box", "A toy cowboy is jealous of a shiny new space ranger toy."),
    film("tt0000009", "Southpaw Kid", "A boxer from Philadelphia gets a shot at the heavyweight title."),
    film("tt0000010", "Harbour Lights", "A lonely lighthouse keeper finds a wounded seal and nurses it."),
    film("tt0000011", "No Story Here", "", genres=["Drama"]),  # no text: left out of the index
]


@pytest.fixture
def films(store: SqlStore) -> SqlStore:
    store.save_films([f.model_copy(update={"plot": f.plot or None}) for f in CATALOGUE])
    return store


@pytest.fixture
def built(films: SqlStore) -> SqlStore:
    describe.rebuild_descriptions(films)
    return films


# ---- the maths -----------------------------------------------------------------------------------


def test_tokens_stem_fold_and_drop_stop_words() -> None:
    assert maths.tokens("The teenagers' Café, and a TEENAGE boy!") == ["teenag", "cafe", "teenag", "boy"]
    assert maths.story_tokens("Later Dennis Quaid meets a soldier. Aliens land.") == [
        "later",
        "meet",
        "soldier",
        "alien",
        "land",
    ]


def test_randomised_svd_spans_the_leading_singular_vectors() -> None:
    rng = np.random.default_rng(3)
    dense = rng.random((300, 400)) * (rng.random((300, 400)) < 0.05)
    dense[:, :5] += rng.random((300, 1)) * 3  # a strong leading direction
    matrix = sparse.csr_matrix(dense.astype(np.float32))
    found = maths.fit_lsa(matrix, 10)
    _, _, vt = np.linalg.svd(dense, full_matrices=False)
    assert found.shape == (400, 10) and found.dtype == np.float32
    overlap = np.linalg.svd(vt[:3] @ found, compute_uv=False)  # cosines of the principal angles
    assert overlap.min() > 0.99


def test_blend_scales_each_side_by_its_best() -> None:
    semantic = np.array([0.5, 0.25, 0.0], dtype=np.float32)
    lexical = np.array([0.0, 4.0, 2.0], dtype=np.float32)
    assert maths.blend_scores(semantic, lexical, 0.5).tolist() == [0.5, 0.75, 0.25]
    assert maths.top_k(np.array([0.1, 0.0, 0.3], dtype=np.float32), 5) == [2, 0]


# ---- the service, on both backends ---------------------------------------------------------------


def test_a_paraphrase_finds_the_film_first(built: SqlStore) -> None:
    hits = describe.search_descriptions(
        built, "a teenager with a deformed face, and his mom who rides motorcycles"
    )
    assert hits[0].id == MASK and hits[0].title == "Mask" and hits[0].score == 1.0
    assert "tt0000011" not in {h.id for h in describe.search_descriptions(built, "drama", limit=20)}


def test_meaning_finds_a_film_without_a_shared_word(built: SqlStore) -> None:
    # Mask's text never says "motorcycle": the semantic side learnt it from the bikers' films.
    assert "motorcycl" not in maths.tokens(CATALOGUE[0].plot or "")
    found = [h.id for h in describe.search_descriptions(built, "motorcycle", limit=10)]
    assert MASK in found


def test_a_rebuild_is_seen_by_a_process_that_already_loaded_the_index(built: SqlStore) -> None:
    assert describe.search_descriptions(built, "lighthouse seal")[0].id == "tt0000010"
    built.save_film(
        film("tt0000012", "Ice Station", "A penguin colony and a lighthouse keeper in Antarctica.")
    )
    describe._cache.clear()  # keep the loaded index, but from a "different process": only the build id tells
    describe.search_descriptions(built, "lighthouse")
    describe.rebuild_descriptions(built)
    assert "tt0000012" in {h.id for h in describe.search_descriptions(built, "penguin colony antarctica")}


def test_vectors_written_in_several_batches_answer_as_one_batch(
    films: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = "a teenager with a deformed face, and his mom who rides motorcycles"
    whole = describe.rebuild_descriptions(films)[0]
    found = describe.search_descriptions(films, query, limit=10)
    monkeypatch.setattr(describe, "_BATCH", 3)  # the demo's ~8,900 storylines go in batches of 2,000
    batched = describe.rebuild_descriptions(films)[0]
    assert whole.films == 10  # the film without text is left out
    assert (batched.films, batched.terms, batched.dims) == (whole.films, whole.terms, whole.dims)
    assert describe.search_descriptions(films, query, limit=10) == found


def test_bad_queries_and_no_index(films: SqlStore) -> None:
    with pytest.raises(describe.NoDescriptionIndex, match="--rebuild-descriptions"):
        describe.search_descriptions(films, "a biker mother")
    describe.rebuild_descriptions(films)
    for bad, message in (
        ("", "must not be empty"),
        ("  \n ", "must not be empty"),
        (HUGE, "longer than 2,000"),
    ):
        with pytest.raises(InputError, match=message):
            describe.search_descriptions(films, bad)
    with pytest.raises(InputError, match="limit"):
        describe.search_descriptions(films, "biker", limit=0)
    assert describe.search_descriptions(films, "zzzz qqqq") == []  # no known word: nothing, no error


def test_an_empty_store_builds_an_empty_index(store: SqlStore) -> None:
    report = describe.rebuild_descriptions(store)[0]
    assert (report.films, report.terms) == (0, 0)
    assert describe.search_descriptions(store, "a biker mother") == []


# ---- a user's model folder -----------------------------------------------------------------------


def static_model(folder: Path, words: dict[str, list[float]]) -> Path:
    folder.mkdir()
    (folder / "vocab.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    np.save(folder / "vectors.npy", np.array(list(words.values()), dtype=np.float32))
    return folder


@pytest.fixture
def tiny_model(tmp_path: Path) -> Path:
    """Static word vectors made here: "motorcycle" and "biker" point the same way."""
    return static_model(
        tmp_path / "tiny",
        {
            "biker": [1.0, 0.0, 0.0],
            "motorcycle": [0.9, 0.1, 0.0],
            "shark": [0.0, 1.0, 0.0],
            "wizard": [0.0, 0.0, 1.0],
        },
    )


def test_a_static_model_folder_is_loaded_and_searched(built: SqlStore, tiny_model: Path) -> None:
    model = load_user_model(tiny_model)
    vectors = model.embed(["a Motorcycle", "BIKER", "nothing known"])
    assert model.dims == 3 and vectors.shape == (3, 3)
    assert float(vectors[0] @ vectors[1]) > 0.99 and not vectors[2].any()
    reports = describe.rebuild_descriptions(built, model_path=tiny_model)
    assert [r.films for r in reports] == [10, 10]
    found = [h.id for h in describe.search_descriptions(built, "motorcycle", model_path=tiny_model)]
    assert found[0] in {MASK, "tt0000002", "tt0000003"} and MASK in found[:3]


def test_a_folder_that_is_not_a_model(tmp_path: Path, built: SqlStore, tiny_model: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "file.bin").write_bytes(b"\0" * 10)
    broken = static_model(tmp_path / "broken", {"a": [1.0], "b": [2.0]})
    (broken / "vocab.txt").write_text("a\nb\nc\n", encoding="utf-8")
    cases = {
        tmp_path / "missing": "no such model folder",
        tmp_path / "file.bin": "not a model folder",
        tmp_path / "empty": "not a model folder: expected vocab.txt",
        broken: "3 words but vectors.npy has 2 rows",
    }
    for path, message in cases.items():
        with pytest.raises(InputError, match=message) as caught:
            load_user_model(path)
        assert str(path) in str(caught.value) and "\n" not in str(caught.value)
    (tmp_path / "m2v").mkdir()
    for name in ("config.json", "model.safetensors", "tokenizer.json"):
        (tmp_path / "m2v" / name).write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match="model2vec"):
        load_user_model(tmp_path / "m2v")  # not installed, or not a real model: a clear error either way
    with pytest.raises(describe.NoDescriptionIndex, match="--model"):
        describe.search_descriptions(built, "motorcycle", model_path=tiny_model)  # never built for it


# ---- the command line ----------------------------------------------------------------------------


def run(url: str, *args: str) -> Result:
    return marquee_on(url)(*args)


def test_cli_rebuild_search_and_errors(films: SqlStore, db_url: str, tmp_path: Path) -> None:
    before = run(db_url, "search", "--by-description", "a biker mother")
    assert before.exit_code == 2
    assert "marquee search --rebuild-descriptions" in before.stderr
    built = run(db_url, "search", "--rebuild-descriptions")
    assert built.exit_code == 0 and "10 films with text" in built.stdout
    out = run(db_url, "search", "--by-description", "a biker mother and her son", "--json")
    assert out.exit_code == 0, out.output
    first = json.loads(out.stdout)[0]
    assert first["id"] == MASK and first["score"] == 1.0
    text = run(db_url, "search", "--by-description", "a biker mother and her son", "-n", "1")
    assert text.stdout.startswith(f"{MASK}\tMask (1985)\t")
    for args, message in (
        (("--by-description", "   "), "give the words you remember"),
        (("--by-description", HUGE), "longer than 2,000 characters"),
        (("mask", "--by-description", "biker"), "one of them"),
        (("--by-description", "biker", "--model", str(tmp_path)), "not a model folder"),
    ):
        bad = run(db_url, "search", *args)
        assert bad.exit_code == 1, args
        assert message in bad.stderr and len(bad.stderr.splitlines()) == 1


# ---- the site, its JSON twin and the API ---------------------------------------------------------


@pytest.fixture
def site(built: SqlStore) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(page_cache_size=0), built), follow_redirects=False) as client:
        yield client


def test_search_page_by_description(site: TestClient) -> None:
    form = site.get("/search")
    assert '<option value="description">By description</option>' in form.text
    response = site.get("/search", params={"type": "description", "q": "a biker mother and her son"})
    assert response.status_code == 200
    assert "Films whose story matches" in response.text
    assert f'href="/title/{MASK}">Mask</a>' in response.text
    assert '<option value="description" selected>' in response.text
    twin = site.get("/search.json", params={"type": "description", "q": "a biker mother and her son"})
    assert twin.status_code == 200 and twin.json()["description"][0]["id"] == MASK


def test_search_page_bad_input(site: TestClient, store: SqlStore) -> None:
    huge = site.get("/search", params={"type": "description", "q": LONG_URL})
    assert huge.status_code == 400 and "longer than 2,000 characters" in huge.text
    blank = site.get("/search", params={"type": "description", "q": "  "})
    assert blank.status_code == 200 and "Films whose story matches" not in blank.text
    bad_json = site.get("/search.json", params={"type": "description", "q": LONG_URL})
    assert bad_json.status_code == 400 and "longer than" in bad_json.json()["problem"]


def test_api_search_description(site: TestClient) -> None:
    response = site.get("/api/v1/search/description", params={"q": "a biker mother and her son", "limit": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["results"][0]["id"] == MASK and len(body["results"]) == 2
    assert "next" in body or response.headers.get("Link")
    huge = site.get("/api/v1/search/description", params={"q": LONG_URL})
    assert huge.status_code == 400 and huge.headers["content-type"].startswith("application/problem+json")
    empty = site.get("/api/v1/search/description", params={"q": ""})
    assert empty.status_code == 400


def test_site_and_api_without_an_index(films: SqlStore) -> None:
    with TestClient(create_app(Settings(page_cache_size=0), films), follow_redirects=False) as client:
        page = client.get("/search", params={"type": "description", "q": "a biker mother"})
        assert page.status_code == 503 and "marquee search --rebuild-descriptions" in page.text
        api = client.get("/api/v1/search/description", params={"q": "a biker mother"})
        assert api.status_code == 503 and "--rebuild-descriptions" in api.json()["detail"]


def test_the_demo_builds_search_by_description(sqlite_url: str) -> None:
    from marquee.services.demo import ensure_demo_store
    from marquee.storage import open_store

    store = open_store(sqlite_url)
    try:
        assert ensure_demo_store(store, limit=40) is True
        hits = describe.search_descriptions(store, "a teenage boy with a deformed skull and his biker mother")
        assert hits and hits[0].id == MASK  # the reference film comes first in the demo
    finally:
        store.close()


def test_an_import_relearns_a_store_that_has_it(built: SqlStore, db_url: str, tmp_path: Path) -> None:
    new = film("tt0000013", "Deep Freeze", "A penguin colony adopts a lost polar explorer in Antarctica.")
    lines = tmp_path / "films.jsonl"
    lines.write_text(new.model_dump_json(exclude_none=True) + "\n", encoding="utf-8")
    imported = run(db_url, "import", "json", str(lines))
    assert imported.exit_code == 0, imported.output
    assert describe.search_descriptions(built, "penguins adopt an explorer")[0].id == "tt0000013"


def test_a_model2vec_folder_made_here_is_loaded_offline(
    built: SqlStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model2vec = pytest.importorskip("model2vec")
    from tokenizers import Tokenizer
    from tokenizers.models import WordLevel
    from tokenizers.normalizers import Lowercase
    from tokenizers.pre_tokenizers import Whitespace

    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        monkeypatch.setenv(name, "0")  # the loader turns them on; monkeypatch puts them back after
    words = {"[UNK]": 0, "[PAD]": 1, "biker": 2, "motorcycle": 3, "shark": 4, "wizard": 5}
    tokenizer = Tokenizer(WordLevel(words, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = Whitespace()
    tokenizer.normalizer = Lowercase()
    vectors = np.array(
        [[0, 0, 0], [0, 0, 0], [1, 0, 0], [0.9, 0.1, 0], [0, 1, 0], [0, 0, 1]], dtype=np.float32
    )
    folder = tmp_path / "m2v"
    model2vec.StaticModel(vectors, tokenizer, normalize=True).save_pretrained(folder)
    model = load_user_model(folder)
    assert (model.kind, model.dims) == ("model2vec", 3)
    import os

    assert os.environ["HF_HUB_OFFLINE"] == "1"
    describe.rebuild_descriptions(built, model_path=folder)
    found = [h.id for h in describe.search_descriptions(built, "motorcycle", model_path=folder)]
    assert MASK in found[:3]
