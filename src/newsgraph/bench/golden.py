"""A golden file for speed work: what the per-document pipeline and an ingest produce, byte for byte.

Before making a stage faster, write the golden file; after every change, check against it:

    python -m newsgraph.bench.golden write /tmp/golden      # before
    python -m newsgraph.bench.golden check /tmp/golden      # after each change: exit 1 on any difference

Two parts, each a text file of one JSON record a line:

* ``rows.jsonl``: every table row ``pipeline.analyse_documents`` returns for each document (spaCy,
  every registered stage, the store rows), in one process, for the bundled sample corpus, the seed
  articles of ``../shared/corpus/seeds`` when present and ``--synthetic`` articles of the bench's
  synthetic corpus (the sample recombined, with renamed people, ships and countries);
* ``export.jsonl``: the ``newsgraph/2`` export of a real ingest of the sample corpus and the seeds
  (``Ingestor`` with ``--n-process`` workers, resolution, search index, views), one record a line.

Nothing in either depends on the clock, so two runs of the same code give identical files.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsgraph.settings import SAMPLE_DIR

SEEDS = Path("corpus") / "seeds"


def _plain(value: Any) -> Any:
    return value.hex() if isinstance(value, bytes | bytearray) else str(value)


def _line(record: Any) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, default=_plain)


def inputs(shared: Path | None) -> list[Path]:
    """The sample corpus and the seed articles when ``shared`` has them."""
    paths = [SAMPLE_DIR]
    if shared is not None and (shared / SEEDS).is_dir():
        paths.append((shared / SEEDS).resolve())
    return paths


def synthetic_file(folder: Path, n: int) -> Path | None:
    """``n`` articles of the bench's synthetic corpus, kept in the golden folder (a document's id
    depends on its file's path, so the same file is read by ``write`` and every ``check``)."""
    from newsgraph.bench import synthetic as gen

    path = folder / "synthetic.jsonl"
    if n and not path.is_file():
        gen.write_jsonl(path, n)
    return path if path.is_file() else None


def document_rows(paths: list[Path], ctx) -> Iterator[str]:
    """One line per read document: its id and every row the workers would send back for it."""
    from newsgraph.ingest.readers import RawArticle, iter_inputs
    from newsgraph.pipeline import analyse_documents, to_document

    meta = _meta(paths)
    docs = [to_document(a) for a in iter_inputs(paths, meta=meta, settings=ctx.settings) if isinstance(a, RawArticle)]
    docs.sort(key=lambda d: (d.id, d.source))
    for start in range(0, len(docs), ctx.settings.batch_size):
        for done in analyse_documents([(d, None) for d in docs[start:start + ctx.settings.batch_size]], ctx):
            yield _line({"doc": done.doc.id, "source": done.doc.source, "rows": done.rows,
                         "rejected": done.rejected, "partial": done.partial})


def export_lines(paths: list[Path], ctx, workdir: Path, n_process: int) -> Iterator[str]:
    """The export of a real ingest of ``paths``: one line per record, the list's name first."""
    from newsgraph.archive import Archive
    from newsgraph.pipeline import Ingestor, finish

    store = workdir / f"golden-{n_process}.duckdb"
    with Archive(store) as archive:
        archive._ctx = ctx
        Ingestor(archive.con, ctx, n_process=n_process).run(paths, meta=_meta(paths))
        finish(archive.con, ctx)
        data = archive.export()
    for key in sorted(data):
        value = data[key]
        if isinstance(value, list):
            yield from (_line({"list": key, "record": item}) for item in value)
        else:
            yield _line({"field": key, "value": value})


def _meta(paths: list[Path]) -> dict | None:
    from newsgraph.ingest.meta import load_meta

    sidecar = SAMPLE_DIR / "meta.jsonl"
    return load_meta(sidecar) if SAMPLE_DIR in paths and sidecar.is_file() else None


def build(shared: Path | None, synthetic: Path | None, n_process: int) -> dict[str, list[str]]:
    from newsgraph.nlp.pipeline import make_context

    ctx = make_context()
    paths = inputs(shared)
    rows = list(document_rows([*paths, *([synthetic] if synthetic else [])], ctx))
    with tempfile.TemporaryDirectory(prefix="golden-") as tmp:
        export = list(export_lines(paths, ctx, Path(tmp), n_process))
    return {"rows.jsonl": rows, "export.jsonl": export}


def compare(expected: list[str], got: list[str], name: str, limit: int = 40) -> list[str]:
    """A short unified diff of two golden parts (empty when identical)."""
    if expected == got:
        return []
    diff = difflib.unified_diff(expected, got, f"golden/{name}", f"now/{name}", n=0, lineterm="")
    return [line[:400] for _, line in zip(range(limit), diff, strict=False)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsgraph.bench.golden", description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=("write", "check"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--synthetic", type=int, default=120, help="generated articles in rows.jsonl (write)")
    parser.add_argument("--n-process", type=int, default=2, help="analysis processes of the exported ingest")
    args = parser.parse_args(argv)
    shared = args.shared if args.shared.is_dir() else None
    if args.action == "write":
        args.folder.mkdir(parents=True, exist_ok=True)
    parts = build(shared, synthetic_file(args.folder.resolve(), args.synthetic), args.n_process)
    if args.action == "write":
        for name, lines in parts.items():
            (args.folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
            print(f"{name}: {len(lines)} records")
        return 0
    failed = False
    for name, lines in parts.items():
        expected = (args.folder / name).read_text(encoding="utf-8").splitlines()
        diff = compare(expected, lines, name)
        print(f"{name}: {len(lines)} records, " + ("identical" if not diff else "DIFFERENT"))
        if diff:
            failed = True
            print("\n".join(diff))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
