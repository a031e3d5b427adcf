"""Time correcting a visit from a child's file on the 100,000-child demo.

Usage: python bench/visit_corrections_bench.py [/tmp/big.db]   (copied first; the copy is used)
Timed, for the child with the most visits: the file's visit list with each visit's next date
(child_file.visits), the same-day question's look-up (visits_on_day) and saving a corrected
visit (update_visit, with the audit and the child's next visit). Each is printed in seconds and
as a ratio to a bare SQL read of that child's visits in the same run. Target: each under 0.1 s.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
import tempfile
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from carebook.services import child_file
from carebook.services import visits as visit_service
from carebook.storage.database import open_database


def best_of(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    source = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/s5-big2.db")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.db"
        shutil.copy(source, path)
        raw = sqlite3.connect(path)
        child_id, uid = raw.execute(
            "SELECT v.child_id, c.uid FROM visits v JOIN children c ON c.id = v.child_id "
            "WHERE c.status = '在册' GROUP BY v.child_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()

        def bare() -> None:
            raw.execute(
                "SELECT * FROM visits WHERE child_id = ? AND deleted_at IS NULL "
                "ORDER BY visited_on DESC",
                (child_id,),
            ).fetchall()

        baseline = best_of(bare)
        db = open_database(f"sqlite:///{path}", backups_dir=Path(folder) / "backups")
        try:
            lines = child_file.visits(db, uid)
            record = visit_service.get_visit(db, lines[0].uid)
            moved = [
                replace(record.visit, visited_on=record.visit.visited_on - timedelta(days=n % 2))
                for n in range(6)
            ]
            timings = {
                "child's file visit list": best_of(lambda: child_file.visits(db, uid)),
                "same-day look-up": best_of(
                    lambda: visit_service.visits_on_day(db, [uid], record.visit.visited_on)
                ),
                "save a corrected date": best_of(
                    lambda: visit_service.update_visit(db, record.uid, moved.pop())
                ),
            }
        finally:
            db.close()
            raw.close()
    print(f"child with {len(lines)} visits; bare SQL read {baseline * 1000:.2f} ms")
    for name, seconds in timings.items():
        print(f"{name:26s} {seconds * 1000:8.1f} ms  x{seconds / baseline:7.1f} bare")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
