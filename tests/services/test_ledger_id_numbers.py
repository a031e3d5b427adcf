"""ID numbers stored as numbers: an exact integer is the number, a float has lost digits."""

from __future__ import annotations

import re
from pathlib import Path

from carebook.domain.id_numbers import make_id
from carebook.exchange.readers import read_workbook
from carebook.services.children import find_by_id_number
from carebook.services.ledger_import import ImportOptions, apply_import, build_plan
from carebook.services.progress import run_to_end
from tests.conftest import TODAY
from tests.exchange.builders import (
    REGION,
    ledger_rows,
    rewrite_sheet_xml,
    write_csv,
    write_merged_xls,
    write_xlsx,
)

ID_COLUMN = 3  # 身份证号 in builders.HEADER


def _plan(db, path: Path):
    return run_to_end(build_plan(db, path, ImportOptions(today=TODAY)))


def _x_ending() -> str:
    return next(
        n
        for n in (make_id(REGION, TODAY.replace(year=2014), s) for s in range(999))
        if n[-1] == "X"
    )


def _as_exact_integers(path: Path, numbers: list[str]) -> Path:
    """What a program (not Excel) writes: the ID cells as number cells holding all 18 digits."""

    def change(xml: str) -> str:
        for number in numbers:
            xml = re.sub(rf't="inlineStr"><is><t>{number}</t></is>', f't="n"><v>{number}</v>', xml)
        return xml

    return rewrite_sheet_xml(path, change)


def _exact_ledger(tmp_path: Path) -> tuple[Path, list[str]]:
    rows = ledger_rows(4)
    numbers = [r[ID_COLUMN] for r in rows]
    assert not any(n.endswith(("000", "X")) for n in numbers)
    return _as_exact_integers(write_xlsx(tmp_path / "a.xlsx", rows), numbers), numbers


def test_an_xlsx_reader_keeps_an_exact_18_digit_integer(tmp_path) -> None:
    path, numbers = _exact_ledger(tmp_path)
    cells = [cells[ID_COLUMN] for _n, cells in read_workbook(path).sheets[0].rows[1:5]]
    assert cells == [int(n) for n in numbers]


def test_exact_integers_in_xlsx_import_as_those_id_numbers(db, tmp_path, isolated_home) -> None:
    path, numbers = _exact_ledger(tmp_path)
    plan = _plan(db, path)
    assert plan.errors == []
    assert plan.counts["create"] == 4
    warned = [w for w in plan.warnings if w.column == "身份证号"]
    assert len(warned) == 4 and all("存成了数字" in w.message for w in warned)
    run_to_end(apply_import(db, plan, backups_dir=isolated_home / "backups", today=TODAY))
    assert all(find_by_id_number(db, n) for n in numbers)
    again = _plan(db, path)  # a re-import of the same file changes nothing
    assert again.errors == [] and again.counts["create"] == again.counts["update"] == 0


def test_numbers_that_lost_digits_are_still_refused(db, tmp_path) -> None:
    rows = ledger_rows(4)
    rounded = rows[0][ID_COLUMN][:15] + "000"  # what 15 significant digits leave
    x_id = _x_ending()
    rows[1][ID_COLUMN] = x_id
    rows[2][ID_COLUMN] = int(rows[2][ID_COLUMN])  # openpyxl writes it as 1.4072…e+17: damaged
    path = write_xlsx(tmp_path / "a.xlsx", rows)
    _as_exact_integers(path, [rows[0][ID_COLUMN]])
    path = rewrite_sheet_xml(
        path,
        lambda xml: xml.replace(f"<v>{rows[0][ID_COLUMN]}</v>", f"<v>{rounded}</v>").replace(
            f't="inlineStr"><is><t>{x_id}</t></is>', f't="n"><v>{x_id[:17]}0</v>'
        ),
    )
    errors = {e.row: e for e in _plan(db, path).errors if e.column == "身份证号"}
    assert sorted(errors) == [2, 3, 4]
    assert all("Excel" in e.message for e in errors.values())


def test_xls_numbers_are_floats_and_so_damaged(db, tmp_path) -> None:
    rows = [
        [r[0], "东村", r[1], int(r[ID_COLUMN]), "留守", "李桂兰", "母亲", r[7]]
        for r in ledger_rows(2)
    ]
    plan = _plan(db, write_merged_xls(tmp_path / "a.xls", rows))
    damaged = [e for e in plan.errors if e.column == "公民身份号码"]
    assert len(damaged) == 2 and all("Excel" in e.message for e in damaged)


def test_csv_digits_are_text_and_scientific_text_is_damaged(db, tmp_path) -> None:
    rows = ledger_rows(2)
    rows[1][ID_COLUMN] = f"{float(rows[1][ID_COLUMN]):.5E}"
    plan = _plan(db, write_csv(tmp_path / "a.csv", rows))
    errors = [e for e in plan.errors if e.column == "身份证号"]
    assert [e.row for e in errors] == [3] and "Excel" in errors[0].message
    assert not [w for w in plan.warnings if "存成了数字" in w.message]
    assert plan.counts["create"] == 1


def test_a_county_workbook_cell_holding_an_exact_integer_is_that_id_number() -> None:
    import pytest

    from carebook.exchange.county.columns import SHEETS_BY_KEY
    from carebook.exchange.county.values import CellError, canonical

    column = SHEETS_BY_KEY["child"].column("id_number")
    number = ledger_rows(1)[0][ID_COLUMN]
    assert canonical(column, int(number)) == number
    for damaged in (float(number), int(number[:15] + "000")):
        with pytest.raises(CellError, match="Excel"):
            canonical(column, damaged)
