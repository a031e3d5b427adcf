"""What secure_delete costs: rewriting every child's ID number and phones (a county-wide
correction, a merge that changes most rows) with freed bytes zeroed against left as they were.

The same 50,000-row register, indexed as carebook indexes it, in WAL with synchronous=FULL, one
transaction; each side runs three times and the best is kept. Debian builds SQLite with
SECURE_DELETE on by default; Python for Windows does not, so "off" is what Windows had before.

    PYTHONPATH=src python bench/privacy_bench.py [--rows 50000]
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from pathlib import Path


def _register(path: Path, rows: int, secure: bool) -> sqlite3.Connection:
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute(f"PRAGMA secure_delete={'ON' if secure else 'OFF'}")
    con.execute(
        "CREATE TABLE children (id INTEGER PRIMARY KEY, name TEXT, id_number TEXT, "
        "guardian_phone TEXT, father_phone TEXT, search_text TEXT, notes TEXT)"
    )
    con.execute("CREATE INDEX ix_id ON children (id_number)")
    with con:
        con.executemany(
            "INSERT INTO children VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (i, f"儿童{i}", f"140725201{i:09d}", f"138{i:08d}", f"139{i:08d}",
                 f"儿童{i} ertong{i} 140725201{i:09d}", "家庭情况说明" * 8)
                for i in range(rows)
            ),
        )  # fmt: skip
    return con


def _rewrite(con: sqlite3.Connection, rows: int) -> float:
    start = time.perf_counter()
    with con:
        con.executemany(
            "UPDATE children SET id_number = ?, guardian_phone = ?, search_text = ? WHERE id = ?",
            ((f"140725202{i:09d}", f"137{i:08d}", f"儿童{i} 140725202{i:09d}", i)
             for i in range(rows)),
        )  # fmt: skip
        con.execute("DELETE FROM children WHERE id % 10 = 0")
    return time.perf_counter() - start


def measure(rows: int, secure: bool) -> float:
    best = float("inf")
    for _ in range(3):
        with tempfile.TemporaryDirectory() as folder:
            con = _register(Path(folder) / "b.db", rows, secure)
            best = min(best, _rewrite(con, rows))
            con.close()
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    rows = parser.parse_args().rows
    off, on = measure(rows, False), measure(rows, True)
    print(f"rewrite {rows:,} children's numbers, delete a tenth:")
    print(f"  secure_delete OFF (baseline): {off:.3f} s")
    print(f"  secure_delete ON  (carebook): {on:.3f} s   ratio {on / off:.2f}x")


if __name__ == "__main__":
    main()
