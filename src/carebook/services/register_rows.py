"""Light register rows built from raw SQL rows: shared by the index and the quick first page."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from carebook.domain.dates import age_on
from carebook.services.register_query import RegisterRow, sort_name
from carebook.storage.register_sql import as_date


def build_rows(
    raw_rows: Iterable[tuple],
    categories: dict[int, list[str]],
    volunteers: dict[int, list[str]],
    today: date,
) -> tuple[list[RegisterRow], list[str]]:
    """RegisterRows and their search keys, from rows in register_sql.ROW_COLUMNS order."""
    shared: dict[object, object] = {}
    intern = shared.setdefault  # equal strings and tuples share one object across rows
    ages: dict[date, int | None] = {}
    rows: list[RegisterRow] = []
    keys: list[str] = []
    for raw in raw_rows:
        (cid, uid, name, sex, birth, town, village, care, g_name, g_rel, g_phone, id_no) = raw[:12]
        last, due, status, registered, search, pinyin = raw[12:]
        birth, last, due = as_date(birth), as_date(last), as_date(due)
        age = ages.get(birth, -1) if birth else None
        if age == -1:
            age = ages[birth] = age_on(birth, today) if birth <= today else None
        cats = tuple(categories.get(cid, ()))
        cats = intern(cats, cats)
        paired = "、".join(volunteers.get(cid, ()))
        town, village, sex = town or "", village or "", sex or ""
        rows.append(
            RegisterRow(
                cid,
                uid,
                name,
                intern(sex, sex),
                age,
                birth,
                intern(town, town),
                intern(village, village),
                cats,
                intern(care, care),
                g_name or "",
                intern(g_rel, g_rel),
                g_phone or "",
                paired,
                last,
                due,
                status == "在册" and due is not None and due < today,
                intern(status, status),
                id_no or "",
                as_date(registered),
                sort_name(name, pinyin or ""),
            )
        )
        # Township and volunteers are searchable too; the stored key has the rest.
        keys.append(f"{search or ''}|{town}|{paired}".lower())
    return rows, keys
