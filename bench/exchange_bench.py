"""County workbook: export and read-back against openpyxl write-only and python-calamine baselines.

Usage: python bench/exchange_bench.py [BIG.db] [--township T]   (default: copies /tmp/big.db)
--township exports one township only (quicker on a busy machine; same code paths).
Each step runs in a fresh process so its peak memory (ru_maxrss) is its own.
The read-back is of the export unchanged: every row should pass by its fingerprint in _carebook.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    """CPU seconds of this process: steadier than wall time on a shared, busy machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def step_export(db: str, out: str, township: str = "") -> dict:
    from carebook.services.county_exchange import ExportOptions, export_workbook
    from carebook.services.progress import run_to_end
    from carebook.storage.database import open_database

    database = open_database(f"sqlite:///{db}", backups_dir=Path(out).parent / "backups")
    c = _cpu()
    t = time.perf_counter()
    result = run_to_end(
        export_workbook(
            database, Path(out), ExportOptions(recipient="bench", township=township or None)
        )
    )
    seconds = time.perf_counter() - t
    database.close()
    return {"seconds": seconds, "cpu": _cpu() - c, "peak_mb": _peak_mb(), "rows": result.counts}


def step_baseline_write(src: str, out: str) -> dict:
    """openpyxl write-only writing the same cells (values as they are in the export)."""
    from openpyxl import Workbook
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(src)
    sheets = {}
    for name in book.sheet_names:
        sheets[name] = book.get_sheet_by_name(name).to_python()
        # only the data is kept; the timing starts below
    book.close()
    c = _cpu()
    t = time.perf_counter()
    wb = Workbook(write_only=True)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(out)
    seconds = time.perf_counter() - t
    return {"seconds": seconds, "cpu": _cpu() - c, "peak_mb": _peak_mb()}


def step_read(db: str, path: str) -> dict:
    from carebook.services.county_apply import apply_merge
    from carebook.services.county_merge import plan_merge
    from carebook.services.progress import run_to_end
    from carebook.storage.database import open_database

    database = open_database(f"sqlite:///{db}", backups_dir=Path(path).parent / "backups")
    c = _cpu()
    t = time.perf_counter()
    plan = run_to_end(plan_merge(database, Path(path)))
    result = run_to_end(apply_merge(database, plan, backups_dir=Path(path).parent / "backups"))
    seconds = time.perf_counter() - t
    database.close()
    return {
        "seconds": seconds,
        "cpu": _cpu() - c,
        "peak_mb": _peak_mb(),
        "rows": plan.rows,
        "unchanged": result.unchanged,
        "created": result.created,
        "updated": result.updated,
        "conflicts": len(plan.conflicts),
    }


def step_baseline_read(path: str) -> dict:
    from python_calamine import CalamineWorkbook

    c = _cpu()
    t = time.perf_counter()
    book = CalamineWorkbook.from_path(path)
    cells = 0
    for name in book.sheet_names:
        for row in book.get_sheet_by_name(name).iter_rows():
            cells += len(row)
    seconds = time.perf_counter() - t
    return {"seconds": seconds, "cpu": _cpu() - c, "peak_mb": _peak_mb(), "cells": cells}


def _run(step: str, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--step", step, *args],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--step":
        step, args = sys.argv[2], sys.argv[3:]
        result = globals()[f"step_{step}"](*args)
        print(json.dumps(result, ensure_ascii=False))
        return
    args = sys.argv[1:]
    township = ""
    if "--township" in args:
        at = args.index("--township")
        township = args[at + 1]
        del args[at : at + 2]
    work = Path(tempfile.mkdtemp(prefix="exchange-bench-"))
    db = work / "big.db"
    shutil.copy2(args[0] if args else "/tmp/big.db", db)
    book, plain = work / "export.xlsx", work / "baseline.xlsx"
    export = _run("export", str(db), str(book), township)
    print("export   ", export)
    base_w = _run("baseline_write", str(book), str(plain))
    print("baseline ", base_w)
    read = _run("read", str(db), str(book))
    print("read-back", read)
    base_r = _run("baseline_read", str(book))
    print("calamine ", base_r)
    print(
        f"CPU: export {export['cpu']:.0f}s / openpyxl {base_w['cpu']:.0f}s = "
        f"{export['cpu'] / base_w['cpu']:.2f}x; read-back {read['cpu']:.0f}s / calamine "
        f"{base_r['cpu']:.0f}s = {read['cpu'] / base_r['cpu']:.2f}x"
    )
    print(
        f"export {export['seconds']:.1f}s / openpyxl {base_w['seconds']:.1f}s = "
        f"{export['seconds'] / base_w['seconds']:.2f}x (target <= 1.5x), "
        f"peak {export['peak_mb']:.0f} MB"
    )
    print(
        f"read-back {read['seconds']:.1f}s / calamine {base_r['seconds']:.1f}s = "
        f"{read['seconds'] / base_r['seconds']:.2f}x (target <= 2.5x), "
        f"peak {read['peak_mb']:.0f} MB (target < 800 MB)"
    )
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
