"""Child categories and care levels: canonical labels, synonyms, age limits and ageing out."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from pathlib import Path

from carebook.domain.dates import nth_birthday
from carebook.domain.errors import CategoryError
from carebook.i18n import tr

DATA_FILE = "category_synonyms.json"
DIFFICULTY = "困境儿童"
CARE_LEVELS: tuple[str, ...] = ("重点", "一般")

# Ledgers bracket subtypes every way: （）, (), 【】, [].
_BRACKETS = str.maketrans("【[】]", "(())")
_SEPARATORS = frozenset("、,，/；;和")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)


@dataclass(frozen=True)
class Category:
    label: str
    age_limit: int  # the child leaves the category on this birthday
    parent: str | None


@dataclass(frozen=True)
class _Tables:
    categories: dict[str, Category]
    lookup: dict[str, str]  # key of any accepted spelling -> canonical label
    care_lookup: dict[str, str]


@lru_cache(maxsize=4096)  # ledgers repeat a handful of category and care-level spellings
def _key(text: str) -> str:
    # NFKC folds full-width brackets and letters to half-width, so both spellings meet.
    folded = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_BRACKETS)
    return re.sub(r"\s+", "", folded)


def _add(lookup: dict[str, str], spelling: str, canonical: str) -> None:
    key = _key(spelling)
    if lookup.get(key, canonical) != canonical:
        raise RuntimeError(f"{DATA_FILE}: {spelling!r} means both {lookup[key]} and {canonical}")
    lookup[key] = canonical


def _read_data() -> str:
    # Beside this module, in source and in a PyInstaller bundle alike. Not importlib.resources:
    # importing it costs 7 ms of a start that shows the register's first rows before all else.
    return Path(__file__).with_name(DATA_FILE).read_text(encoding="utf-8")


@cache
def _tables() -> _Tables:
    # Read lazily so importing the domain never touches package data.
    data = json.loads(_read_data())
    categories = {
        item["label"]: Category(item["label"], int(item["age_limit"]), item.get("parent"))
        for item in data["categories"]
    }
    lookup: dict[str, str] = {}
    for label, category in categories.items():
        if category.parent is not None and category.parent not in categories:
            raise RuntimeError(f"{DATA_FILE}: unknown parent {category.parent!r} of {label!r}")
        _add(lookup, label, label)
    for canonical, spellings in data["synonyms"].items():
        if canonical not in categories:
            raise RuntimeError(f"{DATA_FILE}: synonyms for unknown category {canonical!r}")
        for spelling in spellings:
            _add(lookup, spelling, canonical)
    care_lookup: dict[str, str] = {}
    for level in CARE_LEVELS:
        _add(care_lookup, level, level)
    for level, spellings in data["care_levels"].items():
        if level not in CARE_LEVELS:
            raise RuntimeError(f"{DATA_FILE}: unknown care level {level!r}")
        for spelling in spellings:
            _add(care_lookup, spelling, level)
    return _Tables(categories, lookup, care_lookup)


def all_categories() -> tuple[str, ...]:
    """Every canonical category label, in the data file's order."""
    return tuple(_tables().categories)


def __getattr__(name: str) -> object:
    # CATEGORIES reads like a constant but is loaded on first use, not at import time.
    if name == "CATEGORIES":
        return all_categories()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def canonical_category(text: str) -> str:
    """The canonical label for any accepted spelling; CategoryError lists what is accepted."""
    key = _key(str(text or ""))
    if not key:
        raise CategoryError(tr("没有填写儿童类别。"))
    found = _tables().lookup.get(key)
    if found is None:
        raise CategoryError(
            tr(
                "“{value}”不是可识别的儿童类别。可填写：{choices}；也可写简称，如{examples}。",
                value=str(text or "").strip(),
                choices="、".join(all_categories()),
                # Short forms a worker may type: data, the same in every language.
                examples="留守、困境、重残、低保、监护缺失、事实无人抚养、散居孤儿",
            )
        )
    return found


def category(label: str) -> Category:
    """The category record (age limit, parent) for any accepted spelling."""
    return _tables().categories[canonical_category(label)]


def category_age_limit(label: str) -> int:
    """The age at which a child leaves the category (16 for 留守, 18 for the others)."""
    return category(label).age_limit


def category_parent(label: str) -> str | None:
    """The broader category a subtype belongs to (困境儿童（重病重残） -> 困境儿童), else None."""
    return category(label).parent


def top_category(label: str) -> str:
    """The top-level category a label counts under in reports."""
    found = category(label)
    return found.parent or found.label


def is_difficulty(label: str) -> bool:
    """True for 困境儿童 and its provincial subtypes."""
    return top_category(label) == DIFFICULTY


def _split(cell: str) -> list[str]:
    text = unicodedata.normalize("NFKC", cell).translate(_INVISIBLE).translate(_BRACKETS)
    # "困境儿童 (重病重残)" is one label, so spaces next to brackets are not separators.
    text = re.sub(r"\s*\(\s*", "(", text)
    text = re.sub(r"\s*\)", ")", text)
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if depth == 0 and (ch in _SEPARATORS or ch.isspace()):
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [part for part in parts if part]


def parse_categories(cell: object) -> list[str]:
    """Canonical labels from a ledger cell such as "留守、低保"; duplicates dropped, order kept."""
    if cell is None:
        return []
    result: list[str] = []
    for part in _split(str(cell)):
        label = canonical_category(part)
        if label not in result:
            result.append(label)
    return result


def join_categories(labels: Iterable[str]) -> str:
    """Labels as one cell, separated by 、."""
    return "、".join(labels)


def ages_out_on(birth: date, categories: Iterable[str]) -> date | None:
    """The day the child has passed the age limit of every category it holds; None if none held."""
    limits = [category_age_limit(label) for label in categories]
    if not limits:
        return None
    return nth_birthday(birth, max(limits))


def leaving_categories(
    birth: date, categories: Iterable[str], today: date, within_days: int = 30
) -> list[tuple[str, date]]:
    """Categories the child leaves by age within `within_days` (or already left), soonest first."""
    horizon = today + timedelta(days=within_days)
    leaving = [
        (canonical_category(label), nth_birthday(birth, category_age_limit(label)))
        for label in categories
    ]
    return sorted(
        ((label, day) for label, day in dict(leaving).items() if day <= horizon),
        key=lambda item: item[1],
    )


def canonical_care_level(text: str) -> str:
    """重点 or 一般 from the many ways ledgers write a care level (colours, 一级, 普通 ...)."""
    key = _key(str(text or ""))
    if not key:
        raise CategoryError(tr("没有填写关爱等级。"))
    found = _tables().care_lookup.get(key)
    if found is None:
        raise CategoryError(
            tr(
                "“{value}”不是可识别的关爱等级。可填写：{choices}"
                "（也可写 {high_words} 表示{high}，{low_words} 表示{low}）。",
                value=str(text or "").strip(),
                choices="、".join(CARE_LEVELS),
                # What a worker may type and what it means: data, the same in every language.
                high_words="红/橙/黄",
                high=CARE_LEVELS[0],
                low_words="蓝/绿/普通",
                low=CARE_LEVELS[1],
            )
        )
    return found
