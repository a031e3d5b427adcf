"""Find a TrueType CJK font on this machine and register it with reportlab, or fall back to CID."""

from __future__ import annotations

import logging
import os
import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from carebook.i18n import current_language, tr

log = logging.getLogger(__name__)

# reportlab's built-in Adobe-GB1 font: always available, never embedded (a reader without Chinese
# fonts shows blank text), so it is the last resort.
CID_FONT = "STSong-Light"
PROBE_TEXT = "走访记录表儿童监护人签字"

# File names in order of preference. Only TrueType outlines can be embedded by reportlab: the
# Noto/Source Han CJK .ttc files carry CFF outlines, so they are absent on purpose.
WINDOWS_CANDIDATES = (
    "msyh.ttc",
    "msyh.ttf",
    "simsun.ttc",
    "simhei.ttf",
    "simkai.ttf",
    "simfang.ttf",
)
LINUX_CANDIDATES = (
    "wqy-microhei.ttc",
    "wqy-zenhei.ttc",
    "DroidSansFallbackFull.ttf",
    "DroidSansFallback.ttf",
    "NotoSansSC-Regular.ttf",
    "SourceHanSansSC-Regular.ttf",
    "uming.ttc",
    "ukai.ttc",
)
MAC_CANDIDATES = ("Songti.ttc", "STHeiti Light.ttc", "Arial Unicode.ttf")


@dataclass(frozen=True)
class FontChoice:
    """The font prints are made with: the reportlab name, its file (None for CID) and why."""

    name: str
    path: Path | None
    subfont: int = 0
    note: str = ""

    @property
    def embedded(self) -> bool:
        return self.path is not None


def font_dirs() -> list[Path]:
    """Where this operating system keeps fonts, system-wide and per user."""
    home = Path.home()
    if sys.platform.startswith("win"):
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local"))
        return [windir / "Fonts", local / "Microsoft" / "Windows" / "Fonts"]
    if sys.platform == "darwin":
        return [Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library" / "Fonts"]
    return [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".local" / "share" / "fonts",
        home / ".fonts",
    ]


def candidate_names() -> tuple[str, ...]:
    if sys.platform.startswith("win"):
        return WINDOWS_CANDIDATES
    if sys.platform == "darwin":
        return MAC_CANDIDATES + LINUX_CANDIDATES
    return LINUX_CANDIDATES + WINDOWS_CANDIDATES


def _index_font_files(dirs: list[Path]) -> dict[str, Path]:
    """Lower-cased file name -> path for every font file below dirs (first one found wins)."""
    found: dict[str, Path] = {}
    for folder in dirs:
        if not folder.is_dir():
            continue
        for root, _subdirs, files in os.walk(folder):
            for name in files:
                if name.lower().endswith((".ttf", ".ttc", ".otf")):
                    found.setdefault(name.lower(), Path(root) / name)
    return found


def parse_font_setting(value: str) -> tuple[Path, int]:
    """A settings value "path/to/font.ttc#1" -> (path, subfont index); the index defaults to 0."""
    text = value.strip()
    if "#" in text:
        path, _, index = text.rpartition("#")
        if index.isdigit():
            return Path(path), int(index)
    return Path(text), 0


def _load(path: Path, subfont: int) -> TTFont:
    """A TTFont that can be embedded and holds the Chinese glyphs prints need; raises otherwise."""
    # A stable name: it is what the PDF calls the font, and re-registering it must be a no-op.
    name = "CB-" + re.sub(r"[^A-Za-z0-9]", "", path.stem)[:20] + f"-{subfont}"
    font = TTFont(name, str(path), subfontIndex=subfont)
    missing = [ch for ch in PROBE_TEXT if ord(ch) not in font.face.charToGlyph]
    if missing:
        raise MissingHanziError(
            tr("{name} 缺少汉字（如“{char}”）", name=path.name, char=missing[0])
        )
    return font


class MissingHanziError(TTFError):
    """A font without the Chinese characters prints need; str() says which one is missing."""


def _register(font: TTFont) -> str:
    if font.fontName not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(font)
    return font.fontName


def _cid(note: str) -> FontChoice:
    if CID_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return FontChoice(CID_FONT, None, 0, note)


def choose_font(preferred: str = "", search_dirs: tuple[Path, ...] | None = None) -> FontChoice:
    """The user's font if usable, else the first candidate found, else the CID font, with a note."""
    # The note is a sentence for the worker: one cached choice per language.
    return _choose_font(preferred, search_dirs, current_language())


@cache
def _choose_font(preferred: str, search_dirs: tuple[Path, ...] | None, language: str) -> FontChoice:
    notes: list[str] = []
    if preferred.strip():
        if preferred.strip() == CID_FONT:
            return _cid(
                tr("按设置使用内置 STSong-Light 字体（不嵌入，没有中文字体的电脑上可能显示空白）。")
            )
        path, subfont = parse_font_setting(preferred)
        try:
            return FontChoice(_register(_load(path, subfont)), path, subfont, "")
        except (OSError, TTFError) as exc:
            log.warning("font %s unusable: %s", path, exc)
            notes.append(
                tr("设置的字体 {path} 无法使用（{reason}）", path=path, reason=_reason(exc))
            )
    files = _index_font_files(list(search_dirs) if search_dirs is not None else font_dirs())
    for candidate in candidate_names():
        path = files.get(candidate.lower())
        if path is None:
            continue
        try:
            choice = FontChoice(_register(_load(path, 0)), path, 0, tr("；").join(notes))
        except (OSError, TTFError) as exc:
            log.info("font %s skipped: %s", path, exc)
            continue
        log.info("printing with %s", path)
        return choice
    notes.append(
        tr(
            "本机没有找到可嵌入的中文 TrueType 字体，改用内置 STSong-Light 字体"
            "（不嵌入：在没有中文字体的电脑上打开可能显示空白，纸面打印不受影响）。"
        )
    )
    return _cid(tr("；").join(notes))


def _reason(exc: Exception) -> str:
    text = str(exc)
    if "postscript outlines" in text:
        return tr("这是 OpenType/CFF 字体，无法嵌入，请选 TrueType 字体")
    if isinstance(exc, FileNotFoundError) or "Can't open file" in text:
        return tr("文件不存在或打不开")
    if isinstance(exc, MissingHanziError):
        return text
    return tr("不是可用的 TrueType 字体文件")


def usable_fonts(search_dirs: tuple[Path, ...] | None = None) -> list[tuple[str, Path]]:
    """(family name, path) of the candidate CJK fonts present here, for the settings picker."""
    files = _index_font_files(list(search_dirs) if search_dirs is not None else font_dirs())
    out: list[tuple[str, Path]] = []
    for candidate in candidate_names():
        path = files.get(candidate.lower())
        if path is None:
            continue
        try:
            font = _load(path, 0)
        except (OSError, TTFError):
            continue
        out.append((font.face.name.decode("latin-1", "replace"), path))
    return out


def installed_candidates(search_dirs: tuple[Path, ...] | None = None) -> list[Path]:
    """The candidate font files present here, best first; found by name only (no loading)."""
    files = _index_font_files(list(search_dirs) if search_dirs is not None else font_dirs())
    return [files[name.lower()] for name in candidate_names() if name.lower() in files]
