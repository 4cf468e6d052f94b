"""Write schema/film.schema.json: the JSON Schema of a film record (``Film.model_json_schema()``).

Run ``.venv/bin/python scripts/gen_schema.py`` after changing ``src/marquee/records.py``;
``--check`` exits 1 (and says so) when the committed file is out of date.
The output is stable: keys sorted, indented by 2, one trailing newline.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from marquee.records import Film

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "schema" / "film.schema.json"


def film_schema_text() -> str:
    """The schema as the committed file should hold it."""
    schema = Film.model_json_schema()
    schema.setdefault("$schema", "https://json-schema.org/draft/2020-12/schema")
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the schema, or with --check compare it with the file."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the file is not current")
    parser.add_argument("--path", type=Path, default=SCHEMA_PATH)
    args = parser.parse_args(argv)
    text = film_schema_text()
    if args.check:
        current = args.path.read_text(encoding="utf-8") if args.path.exists() else None
        if current != text:
            print(f"{args.path} is out of date: run scripts/gen_schema.py", file=sys.stderr)
            return 1
        return 0
    args.path.parent.mkdir(parents=True, exist_ok=True)
    args.path.write_text(text, encoding="utf-8")
    print(f"wrote {args.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
