#!/usr/bin/env python3
"""Set up carebook's environment on a fresh machine and run it or its test suite (stdlib only)."""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".carebook-installed"

# Debian/Ubuntu packages Qt's xcb/offscreen platforms and CJK text need, keyed by a file that proves
# each is present, so a second run installs nothing.
SYSTEM_PACKAGES = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}
CJK_FONT_PACKAGE = "fonts-noto-cjk"
# Prints embed a TrueType CJK font (Noto CJK's CFF outlines cannot be embedded by reportlab).
TRUETYPE_CJK_FONT_PACKAGE = "fonts-wqy-microhei"


def say(text: str) -> None:
    print(f"[dev] {text}", flush=True)


def run(cmd: list[str], **kwargs) -> None:
    subprocess.run(cmd, check=True, **kwargs)


def _library_present(name: str) -> bool:
    try:
        out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout
    except OSError:
        return True  # no ldconfig: not a glibc Linux we can reason about
    return name in out


def _cjk_font_present() -> bool:
    if not shutil.which("fc-list"):
        return False
    out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True).stdout
    return bool(out.strip())


def _apt_install(packages: list[str]) -> None:
    if not packages:
        return
    if not shutil.which("apt-get"):
        say("请用系统的软件包管理器安装: " + " ".join(packages))
        return
    prefix: list[str] = []
    if os.geteuid() != 0:
        if shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"]).returncode == 0:
            prefix = ["sudo", "-n"]
        else:
            say(
                "Missing system packages; install them as root: apt-get install "
                + " ".join(packages)
            )
            return
    say("Installing system packages: " + " ".join(packages))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run([*prefix, "apt-get", "update", "-qq"], env=env)
    run([*prefix, "apt-get", "install", "-y", "-qq", *packages], env=env)


def postgres_available() -> bool:
    return bool(glob.glob("/usr/lib/postgresql/*/bin/initdb"))


def _truetype_cjk_font_present() -> bool:
    if not shutil.which("fc-list"):
        return False
    query = ":lang=zh:fontformat=TrueType"
    out = subprocess.run(["fc-list", query, "file"], capture_output=True, text=True).stdout
    return bool(out.strip())


def ensure_system(*, for_tests: bool = False) -> None:
    if not sys.platform.startswith("linux"):
        return
    missing = [pkg for lib, pkg in SYSTEM_PACKAGES.items() if not _library_present(lib)]
    if for_tests and not postgres_available():
        missing.append("postgresql")  # the same program on PostgreSQL is tested too
    if not _cjk_font_present():
        missing.append(CJK_FONT_PACKAGE)
    if not _truetype_cjk_font_present():
        missing.append(TRUETYPE_CJK_FONT_PACKAGE)
    if for_tests and not shutil.which("pdftoppm"):
        missing.append("poppler-utils")  # print layout tests look at rendered pages
    if for_tests and not shutil.which("zbarimg"):
        missing.append("zbar-tools")  # and scan the QR code of a printed visit sheet
    try:
        import ensurepip  # noqa: F401
        import venv  # noqa: F401
    except ImportError:
        missing.append(f"python3.{sys.version_info.minor}-venv")
    _apt_install(missing)


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_venv() -> Path:
    if not venv_python().exists():
        say(f"Creating virtual environment in {VENV}")
        run([sys.executable, "-m", "venv", str(VENV)])
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != digest:
        say("Installing carebook and its test tools into the virtual environment")
        py = str(venv_python())
        run([py, "-m", "pip", "install", "-q", "--upgrade", "pip"])
        run([py, "-m", "pip", "install", "-q", "-e", f"{ROOT}[test]"])
        STAMP.write_text(digest)
    return venv_python()


def tool(name: str) -> str:
    return str(venv_python().parent / name)


def cmd_test(args: list[str]) -> int:
    ensure_system(for_tests=True)
    ensure_venv()
    if not postgres_available():
        say("PostgreSQL server not installed: leaving out the tests marked postgres")
        args = ["-m", "not postgres", *args]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    steps = [
        (
            "format",
            [
                tool("ruff"),
                "format",
                "--check",
                "src",
                "tests",
                "bench",
                "installers",
                "tools",
                "docs",
                "dev.py",
            ],
        ),
        (
            "lint",
            [
                tool("ruff"),
                "check",
                "src",
                "tests",
                "bench",
                "installers",
                "tools",
                "docs",
                "dev.py",
            ],
        ),
        ("import contracts", [tool("lint-imports")]),
        ("tests", [str(venv_python()), "-m", "pytest", *args]),
    ]
    for label, cmd in steps:
        say(f"{label}: {' '.join(Path(c).name if i == 0 else c for i, c in enumerate(cmd))}")
        code = subprocess.run(cmd, cwd=ROOT, env=env).returncode
        if code != 0:
            say(f"{label} failed (exit {code})")
            return code
    return 0


def cmd_bundle_test(args: list[str]) -> int:
    """Build the one-folder bundle and run it alone (installers/smoke_test.py says how)."""
    ensure_system()
    py = ensure_venv()
    stamp = VENV / ".carebook-bundle-installed"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        say("Installing the bundle tools (PyInstaller) into the virtual environment")
        run([str(py), "-m", "pip", "install", "-q", "-e", f"{ROOT}[bundle]"])
        stamp.write_text(digest)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT / "src"))
    smoke = [str(py), str(ROOT / "installers" / "smoke_test.py"), *args]
    return subprocess.run(smoke, cwd=ROOT, env=env).returncode


def cmd_run(args: list[str]) -> int:
    ensure_system()
    ensure_venv()
    py = str(venv_python())
    demo = ROOT / ".venv" / "demo.db"
    if not demo.exists():
        say(f"Building a demo county in {demo}")
        run([py, "-m", "carebook", "--db", str(demo), "demo"])
    return subprocess.run([py, "-m", "carebook", "--db", str(demo), *args]).returncode


def main(argv: list[str]) -> int:
    commands = {"run": cmd_run, "test": cmd_test, "bundle-test": cmd_bundle_test}
    if not argv or argv[0] not in commands:
        print("usage: python3 dev.py run | test [pytest args] | bundle-test [BUNDLE_DIR]")
        return 2
    return commands[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
