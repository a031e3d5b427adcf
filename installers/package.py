"""Wrap a built bundle for users: the Linux tar.gz with menu entry, or a portable zip.

Usage (from the repository root, after pyinstaller and make_icons.py):
  python installers/package.py linux    -> dist/carebook-VERSION-linux-x86_64.tar.gz
  python installers/package.py portable -> dist/carebook-VERSION-portable-PLATFORM.zip
"""

from __future__ import annotations

import platform
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "src"))

from carebook.paths import PORTABLE_FOLDER, PORTABLE_MARKER  # noqa: E402

PORTABLE_NOTE = (
    "这个文件让关爱簿以便携模式运行：数据、设置、备份和日志都保存在旁边的 "
    f"{PORTABLE_FOLDER} 文件夹里，整个文件夹可以放在 U 盘上随身带走。\n"
    "删除这个文件，关爱簿就改用本机用户目录保存数据。\n"
    "This file makes carebook portable: its data lives in the folder beside it.\n"
)


def version() -> str:
    from carebook import __version__

    return __version__


def _mode(path: Path) -> int:
    return 0o755 if path.is_dir() or path.stat().st_mode & 0o111 else 0o644


def linux(bundle: Path, icons: Path, out_dir: Path) -> Path:
    """The bundle, its menu entry, icons and install/uninstall scripts in one tar.gz."""
    top = f"carebook-{version()}"
    target = out_dir / f"{top}-linux-{platform.machine() or 'x86_64'}.tar.gz"
    out_dir.mkdir(parents=True, exist_ok=True)
    members: list[tuple[Path, str]] = [(bundle, f"{top}/carebook")]
    for name in ("carebook.desktop", "install.sh", "uninstall.sh"):
        members.append((HERE / "linux" / name, f"{top}/{name}"))
    for png in sorted(icons.glob("carebook-*.png")):
        members.append((png, f"{top}/icons/{png.name}"))
    svg = ROOT / "src" / "carebook" / "resources" / "icons" / "carebook.svg"
    members.append((svg, f"{top}/icons/carebook.svg"))

    def normalise(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        return info

    with tarfile.open(target, "w:gz", compresslevel=6) as tar:
        for source, arcname in members:
            if not source.exists():
                raise SystemExit(f"missing {source}: build the bundle and icons first")
            tar.add(source, arcname=arcname, filter=normalise)
    return target


def portable(bundle: Path, out_dir: Path) -> Path:
    """The bundle with the portable marker beside the executable, as a zip for a USB stick."""
    system = {"win32": "windows"}.get(sys.platform, sys.platform)
    target = out_dir / f"carebook-{version()}-portable-{system}.zip"
    out_dir.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(bundle.rglob("*")):
            if path.is_file():
                info = zipfile.ZipInfo.from_file(path, f"carebook/{path.relative_to(bundle)}")
                info.external_attr = _mode(path) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes())
        archive.writestr(f"carebook/{PORTABLE_MARKER}", PORTABLE_NOTE.encode("utf-8"))
    return target


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"linux", "portable"}:
        print(__doc__)
        return 2
    bundle = ROOT / "dist" / "carebook"
    if len(argv) > 1:
        bundle = Path(argv[1])
    out_dir = bundle.parent
    if argv[0] == "linux":
        print(linux(bundle, ROOT / "build" / "icons", out_dir))
    else:
        print(portable(bundle, out_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
