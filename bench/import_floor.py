"""The least any import into carebook's register can cost, against import_bench's baseline.

import_bench.py compares a whole import with a bare baseline: reading the file plus sqlite3
executemany of its rows into one 25-column table. This measures two costs no import can avoid,
in the same run, each in a fresh process:
  read   reading the file into rows, as the baseline itself does (csv module / python-calamine);
  load   starting the program's import code and opening a migrated register (no rows read);
  floor  copying rows already imported (by carebook, from the same file) into an empty
         register with pure SQL (INSERT … SELECT) in one transaction: the children with their
         indexes (dropped and rebuilt, as the import does for a large batch), categories, audit
         entries and fingerprints. No cell is read, parsed, checked or matched.
read + load + floor against the baseline is the best ratio a fresh import could reach. --no-journal
copies with the journal, fsync and secure_delete off: the floor of a design that would undo a
cancelled import by restoring its backup instead of rolling back.

    PYTHONPATH=src python bench/import_floor.py [--keep DIR] [--kind csv|xls|xlsx]
(the files are import_bench.py's: run it once with the same --keep first, or this writes them)
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TABLES = ("areas", "children", "child_categories", "audit_log", "import_fingerprints")


def _child(what: str, folder: Path, kind: str, no_journal: bool = False) -> None:
    if what == "read":
        started = time.perf_counter()
        source = folder / f"ledger.{kind}"
        if kind == "csv":
            import csv

            with source.open(encoding="gbk", newline="") as fh:
                rows = list(csv.reader(fh))
        else:
            from python_calamine import CalamineWorkbook

            grid = CalamineWorkbook.from_path(str(source)).get_sheet_by_index(0).to_python()
            rows = [[str(v) for v in r] for r in grid]
        assert len(rows) > 1
        print(json.dumps({"seconds": time.perf_counter() - started}))
        return
    if what == "load":
        started = time.perf_counter()
        from carebook.services.ledger_import import apply_import, build_plan  # noqa: F401
        from carebook.storage.database import open_database

        open_database(f"sqlite:///{folder / 'load.db'}", backups_dir=folder / "bk").close()
        print(json.dumps({"seconds": time.perf_counter() - started}))
        return
    # floor: an empty register (migrated by carebook), then pure SQL from the imported one.
    target = folder / "floor.db"
    shutil.copy(folder / "empty.db", target)
    started = time.perf_counter()
    c = sqlite3.connect(target, isolation_level=None)
    safe = ("synchronous=FULL", "journal_mode=WAL", "secure_delete=ON")
    unsafe = ("synchronous=OFF", "journal_mode=OFF", "secure_delete=OFF")
    for pragma in ("foreign_keys=ON", *(unsafe if no_journal else safe)):
        c.execute(f"PRAGMA {pragma}")
    c.execute("PRAGMA cache_size=-65536")
    c.execute(f"ATTACH '{folder / 'imported.db'}' AS s")
    c.execute("BEGIN")
    indexes = c.execute(
        "SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND tbl_name = 'children'"
        " AND sql IS NOT NULL"
    ).fetchall()
    for name, _sql in indexes:
        c.execute(f"DROP INDEX main.{name}")
    for table in TABLES:
        c.execute(f"INSERT INTO main.{table} SELECT * FROM s.{table}")
    for _name, sql in indexes:
        c.execute(sql)
    c.execute("COMMIT")
    c.close()
    print(json.dumps({"seconds": time.perf_counter() - started}))


def _run(*args: str) -> float:
    out = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])["seconds"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", help="import_bench.py's folder of generated files")
    parser.add_argument("--kind", default="csv", choices=("csv", "xls", "xlsx"))
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--no-journal", action="store_true")
    parser.add_argument("--child")
    parser.add_argument("--folder")
    args = parser.parse_args()
    if args.child:
        _child(args.child, Path(args.folder), args.kind, args.no_journal)
        return 0
    folder = Path(args.keep or tempfile.mkdtemp(prefix="carebook-floor-"))
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"ledger.{args.kind}"
    bench = [sys.executable, str(HERE / "import_bench.py"), "--rows", str(args.rows)]
    if not source.exists():
        subprocess.run([*bench, "--keep", str(folder)], check=False)
    work = Path(tempfile.mkdtemp(prefix="carebook-floor-run-"))
    try:
        # The rows as carebook imports them, and an empty register to copy them into.
        run = [sys.executable, str(HERE / "import_bench.py"), "--child"]
        subprocess.run([*run, "migrate", "--file", str(source), "--db", str(work / "empty.db")],
                       check=True, capture_output=True)  # fmt: skip
        shutil.copy(work / "empty.db", work / "imported.db")
        subprocess.run([*run, "import", "--file", str(source), "--db", str(work / "imported.db")],
                       check=True, capture_output=True)  # fmt: skip
        baseline = json.loads(
            subprocess.run(
                [*run, "baseline", "--file", str(source), "--db", str(work / "base.db")],
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )["seconds"]
        shutil.copy(source, work / source.name)
        read = min(
            _run("--child", "read", "--folder", str(work), "--kind", args.kind) for _ in range(3)
        )
        load = min(_run("--child", "load", "--folder", str(work)) for _ in range(3))
        flags = ["--no-journal"] if args.no_journal else []
        floor = min(
            _run("--child", "floor", "--folder", str(work), "--kind", args.kind, *flags)
            for _ in range(3)
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    least = read + load + floor
    print(
        f"{args.kind}: baseline {baseline:.2f}s | read {read:.2f}s | load {load:.2f}s | "
        f"SQL floor {floor:.2f}s | read + load + floor {least:.2f}s = "
        f"{least / baseline:.2f}× the baseline (fresh-import target 2.5× = {2.5 * baseline:.2f}s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
