"""The register search's plain data: a row, a query, counts, and how rows match, sort and filter."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from operator import attrgetter
from typing import NamedTuple

from carebook.domain.categories import all_categories, top_category
from carebook.domain.dates import AGE_BANDS
from carebook.domain.errors import DomainError

ALL = ""  # a filter value meaning "no filter"
STATUSES = ("在册", "退出")
AGE_BAND_LABELS = tuple(b.label for b in AGE_BANDS)
PAGE = 200  # rows a search finds at once; the list asks for more as it scrolls
# Rows shown before the whole register is loaded: a few screens' worth. Reading 200 cost the
# first paint 6 ms more, for rows nobody scrolls to in the seconds the load takes.
FIRST_ROWS = 60


class RegisterRow(NamedTuple):
    """One child as the list shows it; numbers stay raw here and are masked on screen."""

    id: int
    uid: str
    name: str
    sex: str
    age: int | None
    birth_date: date | None
    township: str
    village: str
    categories: tuple[str, ...]
    care_level: str
    guardian_name: str
    guardian_relation: str
    guardian_phone: str
    volunteers: str
    last_visit_on: date | None
    next_due_on: date | None
    overdue: bool
    status: str
    id_number: str
    registered_on: date | None
    sort_name: str  # first pinyin reading: names sort the way a worker reads them


SORT_KEYS = (
    "name",
    "sex",
    "age",
    "township",
    "village",
    "categories",
    "care_level",
    "guardian_name",
    "guardian_phone",
    "volunteers",
    "last_visit_on",
    "next_due_on",
    "status",
    "id_number",
    "registered_on",
)


@dataclass(frozen=True)
class RegisterQuery:
    """What the worker asked for: the search text, the filters and the order."""

    text: str = ""
    township: str = ALL
    village: str = ALL
    category: str = ALL
    care_level: str = ALL
    status: str = "在册"  # 在册 | 退出 | ALL
    overdue: bool = False
    unpaired: bool = False
    age_band: str = ALL
    sort: str = ""  # "" is the register's own order: township, village, name
    descending: bool = False

    def filters_only(self) -> RegisterQuery:
        return replace(self, text="", sort="", descending=False)


@dataclass(frozen=True)
class FacetCounts:
    """How many children (matching the search text) each filter choice would show."""

    townships: dict[str, int] = field(default_factory=dict)
    villages: dict[tuple[str, str], int] = field(default_factory=dict)
    categories: dict[str, int] = field(default_factory=dict)
    care_levels: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    age_bands: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    unpaired: int = 0
    total: int = 0


def search_terms(text: str) -> list[str]:
    """The lower-case terms of a query; pinyin typed with spaces (zhang zi han) is one term."""
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    if not folded:
        return []
    if folded.replace(" ", "").isascii() and folded.replace(" ", "").isalpha():
        return [folded.replace(" ", "")]
    terms = []
    for part in folded.split():
        # Phone and ID fragments are typed with dashes or spaces as people read them out.
        if part.replace("-", "").isdigit():
            part = part.replace("-", "")
        elif "*" in part and part.replace("*", "").replace("-", "").isdigit():
            # A masked number read off the screen or a printed roster (138****5678): its two
            # shown ends, both to be found.
            terms += [p.replace("-", "") for p in part.split("*") if p.replace("-", "")]
            continue
        terms.append(part)
    return terms


def age_band_of(age: int | None) -> str:
    if age is None or age < 0:
        return ""
    for band in AGE_BANDS:
        if band.high is None or age <= band.high:
            return band.label
    return ""


# Surnames read differently from the character's common reading; names sort by the surname's.
SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "朴": "piao", "查": "zha", "区": "ou",
    "盖": "ge", "缪": "miao", "覃": "qin", "乐": "yue", "翟": "zhai", "召": "shao", "秘": "bi",
    "尉": "yu", "员": "yun", "繁": "po", "折": "she", "种": "chong", "黑": "he", "句": "gou",
    "宿": "su", "占": "zhan", "角": "jue", "长": "chang", "重": "chong", "沈": "shen",
}  # fmt: skip


def sort_name(name: str, pinyin: str) -> str:
    """The reading a worker would sort by: the surname's own reading when it has one."""
    readings = pinyin.split(" ")
    surname = SURNAME_READINGS.get(name[:1])
    if surname:
        return next((r for r in readings if r.startswith(surname)), readings[0])
    return readings[0]


def register_order(row: RegisterRow) -> tuple:
    return (row.township, row.village, row.sort_name, row.name, row.id)


def narrows(before: list[str], after: list[str]) -> bool:
    """True when every match of `after` is also a match of `before` (each old term grew)."""
    if not before or len(after) < len(before):
        return False
    return all(old in new for old, new in zip(before, after, strict=False))


def named_tests(query: RegisterQuery) -> list[tuple[str, Callable[[RegisterRow], bool]]]:
    """(filter name, test) for each active filter other than status."""
    tests: list[tuple[str, Callable[[RegisterRow], bool]]] = []
    if query.township:
        tests.append(("township", lambda r: r.township == query.township))
    if query.village:
        tests.append(("village", lambda r: r.village == query.village))
    if query.category:
        # 困境儿童 also finds its provincial subtypes such as 困境儿童（重病重残）.
        wanted = _category_family(query.category)
        tests.append(("category", lambda r: not wanted.isdisjoint(r.categories)))
    if query.care_level:
        tests.append(("care_level", lambda r: r.care_level == query.care_level))
    if query.overdue:
        tests.append(("overdue", attrgetter("overdue")))
    if query.unpaired:
        tests.append(("unpaired", lambda r: not r.volunteers))
    if query.age_band:
        tests.append(("age_band", lambda r: age_band_of(r.age) == query.age_band))
    return tests


def row_filter(query: RegisterQuery) -> Callable[[RegisterRow], bool] | None:
    """One test for every active filter but status (each view already holds one status)."""
    tests = [test for _name, test in named_tests(query)]
    if not tests:
        return None
    if len(tests) == 1:
        return tests[0]
    return lambda r: all(t(r) for t in tests)


def top_label(label: str) -> str:
    try:
        return top_category(label)
    except DomainError:
        return label


def _category_family(label: str) -> frozenset[str]:
    """The label and every subtype under it."""
    return frozenset({label} | {c for c in all_categories() if top_label(c) == label})
