"""Pinyin keys for names, computed once at write time so search never calls pypinyin."""

from __future__ import annotations

import itertools
import os
from functools import cache, lru_cache

MAX_READINGS = 8  # polyphonic names: keep every reading combination up to this many


@cache
def char_readings(char: str) -> tuple[str, ...]:
    """All toneless readings of one character (单 -> dan, shan, chan); the char itself if none."""
    if not ("\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"):
        return (char.lower(),)
    # Imported on first use, and without pypinyin's phrase dictionary (0.3 s to load and
    # train on): readings are asked one character at a time, where phrases never apply (the
    # readings of every CJK character were compared with and without it: identical).
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")  # its tables are only read
    from pypinyin import Style, pinyin

    readings = pinyin(char, style=Style.NORMAL, heteronym=True, errors="default")[0]
    return tuple(dict.fromkeys(r.replace("ü", "v") for r in readings)) or (char,)


def name_readings(name: str) -> list[list[str]]:
    return [list(char_readings(c)) for c in name if not c.isspace()]


@lru_cache(maxsize=8192)  # a county repeats many names; an import computes them per row
def pinyin_keys(name: str) -> tuple[str, str]:
    """(full pinyin variants, initials variants), each space-separated, first the common reading."""
    per_char = name_readings(name)
    full: list[str] = []
    initials: list[str] = []
    for combo in itertools.islice(itertools.product(*per_char), MAX_READINGS):
        full.append("".join(combo))
        initials.append("".join(r[0] for r in combo if r))
    return " ".join(dict.fromkeys(full)), " ".join(dict.fromkeys(initials))


def search_text(*parts: str) -> str:
    """One lower-case string a substring search can scan: names, pinyin, numbers, places."""
    return "|".join([p.lower() for p in parts if p])  # a list: join makes one from a generator
