"""Fingerprints of ledger rows: a re-imported row nothing changed in skips parsing and checks.

A fingerprint hashes the row's mapped cells as read (types included) together with what shaped
the reading: the fields and headers of the mapping and the township, village and categories the
file, its title or the user supplied. It is remembered per child when an import is applied, only
for rows that gave no error or warning, and trusted only while the child is untouched since
(its updated_at) and for imports checked on or after that day (a later today can only accept
more dates, never fewer). A hit is then exactly what a full check would say: unchanged, no
problems.
"""

from __future__ import annotations

import hashlib
from operator import itemgetter

from carebook.exchange.sheet_tables import SheetTable

# Bump when reading or checking a row changes what a row gives: old fingerprints then miss.
VERSION = "1"


class RowFingerprints:
    """Hashes rows of one table read with one set of defaults."""

    def __init__(self, table: SheetTable, township: str, village: str, categories: tuple) -> None:
        mapped = sorted(table.field_columns().items())
        headers = table.headers
        salt = "\x1d".join(
            (
                VERSION,
                table.kind,
                "\x1e".join(f"{name}\x1f{headers.get(name, '')}" for name, _ in mapped),
                township,
                village,
                "\x1e".join(categories),
            )
        )
        self._salt = hashlib.blake2b(salt.encode(), digest_size=16)
        self._indexes = tuple(index for _name, index in mapped)
        self._width = max(self._indexes, default=-1) + 1
        self._get = itemgetter(*self._indexes) if len(self._indexes) > 1 else None

    def of(self, cells: tuple[object, ...]) -> str:
        """The row's fingerprint: 32 hex characters."""
        if self._get is not None and len(cells) >= self._width:
            values = self._get(cells)
        else:
            values = tuple(cells[i] if i < len(cells) else None for i in self._indexes)
        digest = self._salt.copy()
        try:
            text = "\x1f".join(values)  # a row of text: the common case, and cheaper than repr
        except TypeError:
            text = ""
        if text and text.count("\x1f") == len(values) - 1:
            digest.update(b"s" + text.encode())
        else:
            # repr of a tuple is unambiguous: "1" and 1.0, None and "" all hash differently.
            digest.update(b"r" + repr(values).encode())
        return digest.hexdigest()
