"""Benchmark: `carebook demo` build speed in rows per second, against bare sqlite3 executemany.

Run: python bench/demo_bench.py [--children N]   (default 20,000; the issue's check uses 100,000)
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from pathlib import Path

from carebook.services.demo import build_demo
from carebook.services.progress import run_to_end
from carebook.storage.database import open_database

TABLES = (
    "areas",
    "children",
    "child_categories",
    "volunteers",
    "pairings",
    "visits",
    "assistance",
    "activities",
    "activity_children",
)


def count_rows(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return sum(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES)
    finally:
        con.close()


def bare_baseline(path: Path, rows: int) -> float:
    """The same number of 20-column rows through sqlite3 executemany in one transaction."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("CREATE TABLE t (" + ", ".join(f"c{i} TEXT" for i in range(20)) + ")")
    data = [tuple(f"值{i}-{j}" for j in range(20)) for i in range(rows)]
    start = time.perf_counter()
    with con:
        con.executemany("INSERT INTO t VALUES (" + ",".join("?" * 20) + ")", data)
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.db"
        db = open_database(f"sqlite:///{path}", backups_dir=Path(folder) / "b")
        start = time.perf_counter()
        run_to_end(build_demo(db, children=args.children, seed=1))
        elapsed = time.perf_counter() - start
        db.close()
        rows = count_rows(path)
        baseline = bare_baseline(Path(folder) / "bare.db", rows)
    speed = rows / elapsed
    print(f"demo: {args.children} children, {rows} rows in {elapsed:.1f} s = {speed:,.0f} rows/s")
    print(
        f"bare sqlite3 executemany of {rows} rows: {baseline:.1f} s = {rows / baseline:,.0f} rows/s"
    )
    print(f"ratio demo/bare: {elapsed / baseline:.1f}x")


if __name__ == "__main__":
    main()
