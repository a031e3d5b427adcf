"""Ledger import speed: 50,000 rows × 25 columns (.xlsx, .xls, GBK .csv) against a bare baseline.

Baseline (same run, same file): python-calamine reading it (the csv module for .csv) plus sqlite3
executemany of the same rows into a 25-column table in one transaction.
Targets: fresh import ≤ 2.5× baseline, re-import (all unchanged) ≤ 2×, peak memory < 600 MB.
Each measurement runs in its own process so peak memory is its own. The targets are judged on
wall time; CPU-time ratios are printed too, as a steadier guide on a busy machine.

    PYTHONPATH=src python bench/import_bench.py [--rows 50000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HEADER = [
    "序号", "姓名", "性别", "民族", "身份证号", "出生日期", "乡镇", "村", "户籍地址", "现住址",
    "就读学校", "年级", "健康状况", "父亲姓名", "父亲状态", "父亲电话", "母亲姓名", "母亲状态",
    "母亲电话", "监护人姓名", "监护人关系", "监护人电话", "类别", "关爱等级", "备注",
]  # fmt: skip
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "子涵欣怡梓轩浩宇一诺雨桐俊杰思远佳琪晨曦嘉怡宇航诗涵博文雅静明轩紫萱家豪若曦"
VILLAGES = [f"{name}村" for name in "东西南北上下前后新老中李张王刘陈杨赵黄周吴徐孙马"]
TOWNSHIPS = ["宗艾镇", "洪善镇", "乌金山镇", "东观镇", "什贴镇"]


def make_rows(count: int) -> list[list[object]]:
    from carebook.domain.id_numbers import make_id

    rows = []
    start = date(2009, 1, 1)
    for n in range(count):
        birth = start + timedelta(days=n // 900)
        number = make_id("140702", birth, n % 900)
        sex = "男" if int(number[16]) % 2 else "女"
        name = (
            SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)] + GIVEN[(n * 3) % len(GIVEN)]
        )
        village = VILLAGES[n % len(VILLAGES)]
        rows.append(
            [
                n + 1, name, sex, "汉族", number, birth.strftime("%Y.%m.%d"),
                TOWNSHIPS[n % len(TOWNSHIPS)], village, f"山西省晋中市{village}{n % 90}号",
                f"{village}{n % 90}号", f"{village}小学", f"{n % 6 + 1}年级", "健康",
                f"{name[0]}建国", "外出务工", f"139{n:08d}", "李秀兰", "外出务工",
                f"158{n:08d}", f"{name[0]}桂英", "祖母", f"137{n:08d}",
                "留守" if n % 3 else "困境、低保", "一般" if n % 5 else "重点", "",
            ]
        )  # fmt: skip
    return rows


def write_files(folder: Path, rows: list[list[object]]) -> dict[str, Path]:
    import xlwt
    from openpyxl import Workbook

    paths = {}
    path = folder / "ledger.xlsx"
    book = Workbook(write_only=True)
    ws = book.create_sheet("台账")
    ws.append(["宗艾镇农村留守儿童和困境儿童台账"])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    book.save(path)
    paths["xlsx"] = path
    path = folder / "ledger.xls"
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("台账")
    for c, text in enumerate(HEADER):
        ws.write(0, c, text)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    book.save(str(path))
    paths["xls"] = path
    path = folder / "ledger.csv"
    with path.open("w", encoding="gbk", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    paths["csv"] = path
    return paths


def baseline(path: Path, db: Path) -> None:
    if path.suffix == ".csv":
        with path.open(encoding="gbk", newline="") as fh:
            rows = list(csv.reader(fh))[1:]
    else:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(path))
        grid = book.get_sheet_by_index(0).to_python()
        rows = [[str(v) for v in r] for r in grid[2 if path.suffix == ".xlsx" else 1 :]]
    connection = sqlite3.connect(db)
    columns = ", ".join(f"c{i} TEXT" for i in range(len(HEADER)))
    connection.execute(f"CREATE TABLE t (id INTEGER PRIMARY KEY, {columns})")
    marks = ", ".join("?" * len(HEADER))
    with connection:
        connection.executemany(f"INSERT INTO t VALUES (NULL, {marks})", rows)
    connection.close()


def carebook_import(path: Path, db: Path, home: Path) -> dict:
    from carebook.services.ledger_import import apply_import, build_plan
    from carebook.services.progress import run_to_end
    from carebook.storage.database import open_database

    database = open_database(f"sqlite:///{db}", backups_dir=home)
    try:
        plan = run_to_end(build_plan(database, path))
        run_to_end(apply_import(database, plan, backups_dir=home))
        return dict(plan.counts)
    finally:
        database.close()


def child(args: argparse.Namespace) -> None:
    """One measurement in this process: prints seconds, peak MB and the counts as JSON."""
    path, db = Path(args.file), Path(args.db)
    if args.what == "migrate":
        from carebook.storage.database import open_database

        open_database(f"sqlite:///{db}", backups_dir=db.parent / "backups").close()
        print(json.dumps({}))
        return
    started, cpu_started = time.perf_counter(), time.process_time()
    counts = (
        baseline(path, db)
        if args.what == "baseline"
        else carebook_import(path, db, db.parent / "backups")
    )
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak, "counts": counts}))


def run(what: str, path: Path, db: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", what, "--file", str(path), "--db", str(db)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--keep", help="folder for the generated files (reused if present)")
    parser.add_argument("--child")
    parser.add_argument("--file")
    parser.add_argument("--db")
    args = parser.parse_args()
    if args.child:
        args.what = args.child
        child(args)
        return 0
    folder = Path(args.keep or tempfile.mkdtemp(prefix="carebook-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / f"rows-{args.rows}"
    if marker.exists():
        paths = {k: folder / f"ledger.{k}" for k in ("xlsx", "xls", "csv")}
    else:
        print(f"writing {args.rows} rows × {len(HEADER)} columns to {folder} …", flush=True)
        paths = write_files(folder, make_rows(args.rows))
        marker.touch()
    ok = True
    for kind, path in paths.items():
        for old in folder.glob(f"{kind}-*.db*"):
            old.unlink()
        base = run("baseline", path, folder / f"{kind}-baseline.db")
        db = folder / f"{kind}-carebook.db"
        run("migrate", path, db)
        fresh = run("import", path, db)
        again = run("import", path, db)
        ratio_fresh = fresh["seconds"] / base["seconds"]
        ratio_again = again["seconds"] / base["seconds"]
        peak = max(fresh["peak_mb"], again["peak_mb"])
        passed = ratio_fresh <= 2.5 and ratio_again <= 2.0 and peak < 600
        ok = ok and passed
        print(
            f"{kind:5} baseline {base['seconds']:6.2f}s ({base['peak_mb']:.0f} MB) | "
            f"fresh {fresh['seconds']:6.2f}s = {ratio_fresh:4.2f}× {fresh['counts']} | "
            f"re-import {again['seconds']:6.2f}s = {ratio_again:4.2f}× {again['counts']} | "
            f"peak {peak:.0f} MB | {'OK' if passed else 'MISSED'}",
            flush=True,
        )
        # CPU seconds are far less disturbed by other work on a shared machine than wall time.
        print(
            f"      cpu: baseline {base['cpu']:6.2f}s | fresh {fresh['cpu']:6.2f}s = "
            f"{fresh['cpu'] / base['cpu']:4.2f}× | re-import {again['cpu']:6.2f}s = "
            f"{again['cpu'] / base['cpu']:4.2f}×",
            flush=True,
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
