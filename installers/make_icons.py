"""Render the application icon (SVG source) to the PNG sizes and the .ico the installers use.

Usage: python installers/make_icons.py OUT_DIR   (the bundle test writes to build/icons/)
Generated files are build output and are not committed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "carebook" / "resources" / "icons" / "carebook.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256)  # Windows .ico sizes, and hicolor sizes on Linux


def render(out_dir: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SOURCE}")
    out_dir.mkdir(parents=True, exist_ok=True)
    made = []
    for size in PNG_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = out_dir / f"carebook-{size}.png"
        if not image.save(str(target)):
            raise SystemExit(f"cannot write {target}")
        made.append(target)
    made.append(write_ico(out_dir))
    return made


def write_ico(out_dir: Path) -> Path:
    """A .ico holding every size as PNG (Windows Vista and later read PNG-in-ICO)."""
    import struct

    images = [(size, (out_dir / f"carebook-{size}.png").read_bytes()) for size in PNG_SIZES]
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, blobs = b"", b""
    for size, data in images:
        edge = 0 if size >= 256 else size  # 0 means 256 in the ICO directory
        entries += struct.pack("<BBBBHHII", edge, edge, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
        blobs += data
    target = out_dir / "carebook.ico"
    target.write_bytes(header + entries + blobs)
    return target


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "icons"
    for path in render(out):
        print(path)
