"""CPU of one test's worth of store work: copy a migrated store, open it, save a film, read it, close.

The suite opens a fresh store in most tests (``tests/conftest.py`` copies a template migrated once),
so what each new store costs in SQLAlchemy and Alembic is paid ~2,000 times per run. Each round
copies the template, then ``open_store``, ``save_film(mask())``, ``get_film``, ``save_films`` of 5
films, ``iter_films``, ``close``. Reports the median CPU ms of each step and of the whole cycle
(``time.process_time``: the box is shared, wall clock is mostly waiting for a core).

    PYTHONPATH=src .venv/bin/python bench/bench_store_per_test.py [--rounds 200]

Run it with ``PYTHONPATH`` pointing at two trees' ``src`` in turn to compare them side by side.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # support.films: the reference film

from marquee.records import Film  # noqa: E402
from marquee.storage import SqlStore, open_store  # noqa: E402
from support.films import mask  # noqa: E402

STEPS = ("open", "save_film", "get_film", "save_films(5)", "iter_films", "close")


def five(film: Film) -> list[Film]:
    """Five copies of ``film`` under their own ids."""
    return [film.model_copy(update={"id": f"tt{9_100_000 + i}"}) for i in range(5)]


def cycle(template: Path, work: Path, film: Film, times: dict[str, list[float]]) -> None:
    """One round on a fresh copy of ``template``; adds each step's CPU seconds to ``times``."""
    shutil.copyfile(template, work)
    store: SqlStore | None = None

    def step(name: str, action: Callable[[], object]) -> object:
        start = time.process_time()
        result = action()
        times[name].append(time.process_time() - start)
        return result

    store = step("open", lambda: open_store(f"sqlite:///{work}"))  # type: ignore[assignment]
    assert store is not None
    step("save_film", lambda: store.save_film(film))
    got = step("get_film", lambda: store.get_film(film.id))
    assert isinstance(got, Film) and got.id == film.id
    step("save_films(5)", lambda: store.save_films(five(film)))
    count = step("iter_films", lambda: sum(1 for _ in store.iter_films()))
    assert count == 6, count
    step("close", store.close)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    import marquee

    film = mask()
    with tempfile.TemporaryDirectory() as folder:
        template = Path(folder) / "template.db"
        open_store(f"sqlite:///{template}").close()
        times: dict[str, list[float]] = {name: [] for name in STEPS}
        cycle(template, Path(folder) / "warm.db", film, {name: [] for name in STEPS})  # imports, first use
        for _ in range(args.rounds):
            cycle(template, Path(folder) / "work.db", film, times)
    total = [sum(parts) for parts in zip(*times.values(), strict=True)]
    print(f"{Path(marquee.__file__).parents[1]}  rounds={args.rounds}")
    for name in STEPS:
        print(f"  {name:<14} {statistics.median(times[name]) * 1000:7.2f} ms CPU (median)")
    print(
        f"  {'cycle':<14} {statistics.median(total) * 1000:7.2f} ms CPU (median), "
        f"mean {statistics.mean(total) * 1000:.2f}"
    )


if __name__ == "__main__":
    main()
