"""Statistics figures written as CSV that Excel and WPS open in Chinese (UTF-8 with a BOM)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

Table = tuple[str, Sequence[str], Sequence[Sequence[object]]]


def write_tables(path: Path, tables: Sequence[Table]) -> Path:
    """Titled tables one under another, a blank line between; written atomically."""
    path = Path(path)
    if path.suffix.lower() != ".csv":
        path = path.with_suffix(".csv")
    tmp = path.with_name(path.name + ".part")
    with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        for number, (title, header, rows) in enumerate(tables):
            if number:
                writer.writerow([])
            writer.writerow([title])
            writer.writerow(list(header))
            for row in rows:
                writer.writerow(["" if v is None else v for v in row])
    tmp.replace(path)
    return path
