"""Regenerate the user guide's screenshots from a demo county, so the pictures stay true.

  python docs/make_screenshots.py            (writes docs/images/*.png)

Runs offscreen in a temporary data folder: a 300-child demo county built with a fixed seed and
date, the first-run welcome, every page of the main window, and portable mode's title bar.
Each PNG is reduced to a small palette so the committed pictures stay a few hundred KB in all.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "images"
SIZE = (1180, 720)

sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def shrink(path: Path) -> None:
    """Fewer colours, same pixels for text: screenshots of forms need no more than 64."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=64, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def save(widget, name: str) -> None:
    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    # Pages that count off the GUI thread (统计) show their figures once the job has ended.
    while QThreadPool.globalInstance().activeThreadCount():
        QThreadPool.globalInstance().waitForDone(50)
        QApplication.processEvents()
    QApplication.processEvents()
    path = OUT / f"{name}.png"
    widget.grab().save(str(path))
    shrink(path)
    print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KiB")


def main() -> int:
    # A fixed folder, so the data path shown in 设置 is the same on every run (no churn).
    tmp = Path(tempfile.gettempdir()) / "carebook-guide"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        os.environ["CAREBOOK_HOME"] = str(tmp / "carebook")
        _shoot(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _shoot(tmp: Path) -> None:
    """The welcome, every page on the demo county, and portable mode's title."""
    from carebook.gui.application import create_qt_app
    from carebook.gui.dialogs.first_run import FirstRunDialog
    from carebook.gui.main_window import MainWindow
    from carebook.paths import app_paths
    from carebook.services.demo import build_demo
    from carebook.services.progress import run_to_end
    from carebook.services.workspace import Workspace, load_app_settings
    from carebook.storage.database import open_database

    paths, settings = load_app_settings()
    app = create_qt_app("zh_CN")
    settings.worker_name, settings.county, settings.township = "王秀英", "和顺县", "义兴镇"
    settings.villages = ["东村", "西村"]
    OUT.mkdir(parents=True, exist_ok=True)
    database = open_database(f"sqlite:///{Path(tmp) / 'demo.db'}", backups_dir=paths.backups_dir)
    run_to_end(build_demo(database, children=300, seed=7, today=date(2026, 11, 28)))
    workspace = Workspace(paths, settings, database)

    welcome = FirstRunDialog(Workspace(paths, type(settings)(), database))
    welcome.worker.setText("王秀英")
    welcome.county.setText("和顺县")
    welcome.township.setText("义兴镇")
    welcome.villages.setText("东村、西村")
    welcome.show()
    save(welcome, "first-run")
    welcome.close()

    window = MainWindow(workspace)
    window.resize(*SIZE)
    window.show()
    for spec in window.specs:
        window.show_page(spec.key)
        save(window, f"page-{spec.key}")
    window.close()

    # Portable mode as a USB stick user sees it: the title bar says where the data is.
    stick = Path(tmp) / "U盘" / "carebook"
    stick.mkdir(parents=True)
    portable_paths = type(app_paths())(stick / "carebook-data", stick / "carebook-data/logs", True)
    portable = MainWindow(Workspace(portable_paths, settings, database))
    portable.resize(*SIZE)
    portable.show()
    # Offscreen windows have no frame to photograph: print the title for the guide instead.
    print(f"portable title: {portable.windowTitle()}")
    portable.close()
    # Widgets go before the application and the database, or Qt crashes on the way out.
    for widget in (welcome, window, portable):
        widget.deleteLater()
    app.processEvents()
    database.close()


if __name__ == "__main__":
    sys.exit(main())
