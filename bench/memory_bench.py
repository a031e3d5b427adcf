"""Memory of the desktop app at county scale: every page opened on the 100,000-child demo.

    PYTHONPATH=src python bench/memory_bench.py [--db /tmp/big.db] [--runs 3]

Each run is a fresh process that opens the main window offscreen on a copy of the file, opens
every page in navigation order (waiting for the register's index and the statistics count), and
records after each page: seconds to open it (wall and CPU), resident memory, the peak so far, and
SQLite's own heap.
It ends with the process's peak resident memory (VmHWM) and the rows each page's tables hold.

The baseline, measured in the same run: a bare process with a PySide6 QApplication, a shown
window and a SQLAlchemy engine that opens the same file and counts its children. The figures
printed are the app's peak against that baseline (ratio and difference) and each page's open
time (median of the runs). Target: the app's peak within 400 MB on a 4 GB laptop.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BARE = """
import json, os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication, QMainWindow
from sqlalchemy import create_engine, text
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1200, 780)
window.show()
app.processEvents()
engine = create_engine(f"sqlite:///{sys.argv[1]}")
with engine.connect() as connection:
    connection.execute(text("SELECT count(*) FROM children")).scalar()
status = open("/proc/self/status").read()
kb = {k: int(status.split(k + ":")[1].split()[0]) for k in ("VmRSS", "VmHWM")}
print(json.dumps(kb))
os._exit(0)
"""

APP = """
import ctypes, json, os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QAbstractItemView
from carebook.gui.application import create_qt_app
from carebook.gui.main_window import MainWindow
from carebook.services.workspace import open_workspace

try:  # SQLite's own heap (page caches, statements), when Python uses the system library
    sqlite = ctypes.CDLL("libsqlite3.so.0")
    sqlite.sqlite3_memory_used.restype = ctypes.c_int64
except OSError:
    sqlite = None

def status(key):
    text = open("/proc/self/status").read()
    return int(text.split(key + ":")[1].split()[0]) // 1024

def sqlite_mb():
    return sqlite.sqlite3_memory_used() / 2**20 if sqlite else -1

app = create_qt_app("zh_CN")
workspace = open_workspace(sys.argv[1])
window = MainWindow(workspace)
window.show()
pages = []
for spec in window.specs:
    wall, cpu = time.perf_counter(), time.process_time()
    window.show_page(spec.key)
    page = window.page(spec.key)
    app.processEvents()
    while not getattr(page, "ready", True) or getattr(page, "job", None) is not None:
        app.processEvents()
        time.sleep(0.005)
    QThreadPool.globalInstance().waitForDone()
    app.processEvents()
    pages.append({
        "page": spec.key,
        "seconds": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "rss": status("VmRSS"),
        "peak": status("VmHWM"),
        "sqlite": sqlite_mb(),
    })
rows = {}
for key, page in window.pages.items():
    models = {id(m): m for m in (v.model() for v in page.findChildren(QAbstractItemView)) if m}
    rows[key] = sum(m.rowCount() for m in models.values())
print(json.dumps({"pages": pages, "peak": status("VmHWM"), "rss": status("VmRSS"), "rows": rows}))
os._exit(0)
"""


def run(code: str, *args: str, env: dict[str, str]) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"benchmark process failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="/tmp/big.db")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="memory-bench-") as tmp:
        db = Path(tmp) / "county.db"
        shutil.copy2(args.db, db)  # the app takes a writer's lock on the file it opens
        env = {**os.environ, "CAREBOOK_HOME": str(Path(tmp) / "home")}
        src = str(Path(__file__).resolve().parent.parent / "src")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        run(APP, str(db), env=env)  # warm-up: the day's backup, bytecode, the file cache
        apps = [run(APP, str(db), env=env) for _ in range(args.runs)]
        bares = [run(BARE, str(db), env=env) for _ in range(args.runs)]

    bare = statistics.median(b["VmHWM"] for b in bares) / 1024
    peak = statistics.median(a["peak"] for a in apps)
    print(f"{'page':<12}{'open s':>8}{'cpu s':>8}{'RSS MB':>9}{'peak MB':>9}{'SQLite MB':>11}")
    for n, first in enumerate(apps[0]["pages"]):
        seconds = statistics.median(a["pages"][n]["seconds"] for a in apps)
        cpu = statistics.median(a["pages"][n]["cpu"] for a in apps)
        rss = statistics.median(a["pages"][n]["rss"] for a in apps)
        high = statistics.median(a["pages"][n]["peak"] for a in apps)
        heap = statistics.median(a["pages"][n]["sqlite"] for a in apps)
        print(f"{first['page']:<12}{seconds:>8.2f}{cpu:>8.2f}{rss:>9.0f}{high:>9.0f}{heap:>11.1f}")
    print("rows held by each page's tables:", json.dumps(apps[0]["rows"], ensure_ascii=False))
    verdict = "OK" if peak <= 400 else "OVER"
    print(
        f"peak RSS after every page: {peak:.0f} MB; bare QApplication + SQLAlchemy engine on the "
        f"same file: {bare:.0f} MB -> {peak / bare:.1f}x, +{peak - bare:.0f} MB "
        f"(target 400 MB) {verdict}"
    )


if __name__ == "__main__":
    main()
