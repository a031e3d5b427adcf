"""Time correcting and deleting an activity on the 100,000-child demo.

Usage: python bench/activity_corrections_bench.py [/tmp/big.db]   (copied first; the copy is used)
Timed, for the activity with the most children: the 活动 list, one activity's detail (what the
page shows on choosing it and what the delete question counts), opening it for correction, saving
a corrected title (its goods records follow), saving 50 children taken off and 50 put on with the
same goods, and deleting it with its goods. Each is printed in seconds and as a ratio to a bare
SQL read of the activity list with its children counted, in the same run. Target: each a click's
time (under 0.3 s), the people swap under 1 s.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from carebook.services import activities as act
from carebook.services import activity_edit as edit
from carebook.storage.database import open_database


def best_of(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def once(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> int:
    source = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/s5-big2.db")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.db"
        shutil.copy(source, path)
        raw = sqlite3.connect(path)

        def bare() -> None:
            raw.execute(
                "SELECT a.*, (SELECT count(*) FROM activity_children k WHERE k.activity_id = a.id) "
                "FROM activities a WHERE a.deleted_at IS NULL ORDER BY a.held_on DESC"
            ).fetchall()

        baseline = best_of(bare)
        db = open_database(f"sqlite:///{path}", backups_dir=Path(folder) / "backups")
        try:
            row = max(act.list_activities(db), key=lambda r: r.children)
            saved = edit.activity_for_edit(db, row.uid)
            kids = [c.uid for c in saved.children]
            taken = set(kids)
            others = [p.uid for p in act.pick_children(db, limit=500) if p.uid not in taken][:50]
            vols = [v.uid for v in saved.volunteers]
            titles = [replace(saved.activity, title=f"{row.title}（{n}）") for n in range(6)]
            timings = {
                "activity list": best_of(lambda: act.list_activities(db)),
                "one activity's detail": best_of(lambda: act.get_activity(db, row.uid)),
                "open for correction": best_of(lambda: edit.activity_for_edit(db, row.uid)),
                "save a corrected title": best_of(
                    lambda: edit.update_activity(db, row.uid, titles.pop(), kids, vols)
                ),
                "50 off, 50 on with goods": once(
                    lambda: edit.update_activity(
                        db,
                        row.uid,
                        saved.activity,
                        kids[50:] + others,
                        vols,
                        give_goods_to_added=True,
                    )
                ),
                "delete with its goods": once(lambda: edit.delete_activity(db, row.uid)),
            }
        finally:
            db.close()
            raw.close()
    print(
        f"activity with {row.children} children, {saved.goods_records} goods records; "
        f"bare SQL list {baseline * 1000:.2f} ms"
    )
    for name, seconds in timings.items():
        print(f"{name:26s} {seconds * 1000:8.1f} ms  x{seconds / baseline:7.1f} bare")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
