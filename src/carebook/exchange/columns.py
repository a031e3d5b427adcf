"""Column synonyms as data: which header text means which field, for children and volunteers."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from carebook.resources import resource_path

CHILD = "child"
VOLUNTEER = "volunteer"
SEQ = "seq"  # a 序号 column: known, never stored
IGNORE = "ignore"  # known columns carebook does not keep (年龄 ...)
EXTRA_FIELDS = ("status", "status_reason", "status_date")

_NOTE = re.compile(r"\([^()]*\)$")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)


def header_key(text: object) -> str:
    """A header cell folded for matching: NFKC, no spaces or line breaks, no trailing * or colon."""
    if text is None:
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    folded = unicodedata.normalize("NFKC", str(text)).translate(_INVISIBLE)
    folded = re.sub(r"\s+", "", folded).replace("【", "(").replace("】", ")")
    return folded.strip("*:：").lower()


@dataclass(frozen=True)
class Synonyms:
    by_kind: dict[str, dict[str, str]]  # kind -> header key -> field
    groups: dict[str, str]  # header key of a group heading -> its prefix (父亲, 母亲, 监护人, 儿童)
    volunteer_markers: frozenset[str]
    child_markers: frozenset[str]

    def field_for(self, kind: str, header: object) -> str | None:
        key = header_key(header)
        if not key:
            return None
        table = self.by_kind[kind]
        found = table.get(key)
        if found is None and _NOTE.search(key):
            # 出生日期(年月日), 联系电话(手机): the bracketed note says how to fill it in.
            found = table.get(_NOTE.sub("", key))
        return found

    def group_prefix(self, header: object) -> str | None:
        return self.groups.get(header_key(header))


@cache
def synonyms() -> Synonyms:
    data = json.loads(resource_path("column_synonyms.json").read_text(encoding="utf-8"))
    by_kind: dict[str, dict[str, str]] = {}
    for kind in (CHILD, VOLUNTEER):
        table: dict[str, str] = {}
        for field_name, spellings in data[kind].items():
            for spelling in (field_name, *spellings):
                key = header_key(spelling)
                if table.get(key, field_name) != field_name:
                    raise RuntimeError(f"column_synonyms.json: {spelling!r} is ambiguous in {kind}")
                table[key] = field_name
        by_kind[kind] = table
    groups = {
        header_key(spelling): prefix
        for prefix, spellings in data["groups"].items()
        for spelling in (prefix, *spellings)
    }
    return Synonyms(
        by_kind,
        groups,
        frozenset(data["volunteer_markers"]),
        frozenset(data["child_markers"]),
    )


def field_choices(kind: str) -> list[str]:
    """The fields a column can be mapped to, in the order a form shows them."""
    return [f for f in dict.fromkeys(synonyms().by_kind[kind].values()) if f not in (SEQ, IGNORE)]
