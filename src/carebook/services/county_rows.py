"""Database rows as county-workbook rows: the values written and the texts compared."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from carebook.domain.id_numbers import mask_id
from carebook.exchange.county.columns import (
    DATE,
    DERIVED,
    ID,
    NUMBER,
    STAMP,
    UID,
    SheetSpec,
)
from carebook.exchange.county.values import clean_text, db_text
from carebook.storage.exchange_queries import record_fields


class RowShaper:
    """Turns stream_records() tuples of one sheet into (cell values, merged texts)."""

    def __init__(
        self,
        spec: SheetSpec,
        *,
        places: dict[int, tuple[str, str]],
        categories: dict[int, str] | None = None,
        masked: bool = False,
    ) -> None:
        self.spec = spec
        self.masked = masked
        self._places = places
        self._categories = categories or {}
        fields = record_fields(spec.key)
        wanted = tuple(c.field for c in spec.columns)
        self._direct = fields == wanted
        self._fields = fields
        self._merged = [(i, c) for i, c in enumerate(spec.columns) if c.merged]
        self._writers: list[Callable[[object, str], object]] = [
            _writer_for(c.kind, masked) for c in spec.columns
        ]

    def values(self, record: tuple) -> list[object]:
        """The row in contract column order, as python values from the database."""
        if self._direct:
            return list(record)
        d = dict(zip(self._fields, record, strict=True))
        if self.spec.key == "child":
            d["township"], d["village"] = self._places.get(d["village_id"], ("", ""))
            d["categories"] = self._categories.get(d["id"], "")
        elif self.spec.key == "volunteer":
            d["township"], d["village"] = self._places.get(d["area_id"], ("", ""))
        return [d[c.field] for c in self.spec.columns]

    def texts(self, values: list[object]) -> list[str]:
        """Canonical texts of the merged fields, in contract order."""
        return [db_text(c, values[i]) for i, c in self._merged]

    def shape(self, record: tuple) -> tuple[list[object], list[str]]:
        values = self.values(record)
        texts = self.texts(values)
        out = list(values)
        text_at = dict(zip((i for i, _ in self._merged), texts, strict=True))
        for i, write in enumerate(self._writers):
            out[i] = write(values[i], text_at.get(i, ""))
        return out, texts

    def merged_fields(self) -> list[str]:
        return [c.field for _, c in self._merged]


def _writer_for(kind: str, masked: bool) -> Callable[[object, str], object]:
    if kind == DATE:
        return _as_date
    if kind == NUMBER:
        return _as_number
    if kind == STAMP:
        return _as_stamp
    if kind == ID:
        return (lambda _v, text: mask_id(text) if text else "") if masked else _as_text
    if kind == DERIVED:
        return _derived_masked if masked else _derived
    if kind == UID:
        return _derived
    return _as_text


def _as_text(_value: object, text: str) -> object:
    return text


def _as_date(value: object, _text: str) -> object:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def _as_number(value: object, _text: str) -> object:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _as_stamp(value: object, _text: str) -> object:
    return value.replace(microsecond=0) if isinstance(value, datetime) else None


def _derived(value: object, _text: str) -> object:
    return clean_text(value) if isinstance(value, str) else value


def _derived_masked(value: object, _text: str) -> object:
    # The only derived personal number is the child's ID on 结对.
    if isinstance(value, str) and len(value) == 18 and value[:17].isdigit():
        return mask_id(value)
    return _derived(value, _text)
