"""The column-at-a-time check gives every row exactly what parse_child_row gives it."""

from __future__ import annotations

import random
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carebook.domain.id_numbers import make_id
from carebook.exchange.columns import IGNORE, SEQ
from carebook.exchange.sheet_tables import Column, SheetTable
from carebook.services import ledger_columns
from carebook.services.ledger_columns import parse_child_rows
from carebook.services.ledger_rows import RowDefaults, parse_child_row

TODAY = date(2026, 11, 28)
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def as_seen(row) -> tuple:
    """Everything a parsed row carries, ChildFacts' own __dict__ (with its order) included."""
    facts = None if row.facts is None else (type(row.facts), list(row.facts.__dict__.items()))
    return (
        row.sheet, row.row, row.kind, row.cells, facts, row.present, row.status,
        row.status_reason, row.status_date, row.errors, row.warnings, row.blank,
        row.same_as_stored, row.stored_id, row.stored_name, row.fingerprint,
    )  # fmt: skip


def table_of(fields: list[str | None], rows: list[tuple[int, tuple]]) -> SheetTable:
    columns = tuple(Column(i, f"列{i}", field) for i, field in enumerate(fields))
    return SheetTable("名单", "child", (0,), (), columns, "", rows)


def assert_same(table: SheetTable, defaults: RowDefaults) -> None:
    one_by_one = [parse_child_row(table, n, cells, defaults) for n, cells in table.data]
    at_once = parse_child_rows(table, list(table.data), defaults)
    assert list(map(as_seen, at_once)) == list(map(as_seen, one_by_one))


# --- cells as townships type them, and as spreadsheets damage them ----------------------------


def id_cells(number: str, birth: date, other: str) -> list[object]:
    return [
        number, number, number, number.lower(), f" {number} ", f"'{number}",
        number.translate(FULL_WIDTH), number[:10] + " " + number[10:], float(number[:-1] + "0"),
        number[:-1] + ("1" if number[-1] != "1" else "2"), number[:15], "", None, "   ",
        int(number[:17] + "0"), other, make_id("140702", date(2030, 1, 1), 1), "14070219990230001X",
        number + "\u200b", number[:17] + "x",
    ]  # fmt: skip


def birth_cells(birth: date) -> list[object]:
    return [
        f"{birth.year}.{birth.month}.{birth.day}", birth.isoformat(), birth,
        datetime(birth.year, birth.month, birth.day, 8, 30), f"{birth.year}年{birth.month}月",
        "2015-03-12", "不详", "", None, 42000, 42000.0, True, "2099-01-01",
        f"{birth.year}{birth.month:02d}{birth.day:02d}",
    ]  # fmt: skip


CELLS: dict[str, list[object]] = {
    "name": ["张三", "张三", " 李  四 ", "王\u3000五", "", None, 12345, "\u200b", "   ", 1.5],
    "sex": ["", None, "男性", "M", "f", "未知", 1, " 女 ", "Ｍ"],
    "phone": [
        "13812345678",
        "13812345678",
        "15912345678",
        13812345678,
        13812345678.0,
        "0351-1234567",
        "+86 138 1234 5678",
        "1.38123E+10",
        "13812345678/13912345678",
        "123",
        "",
        None,
        "１３８１２３４５６７８",
        3511234567,
        "138 1234 5678",
        "'13812345678",
        "12812345678",
        "008613812345678",
        "(0351)7654321",
        True,
        -1,
        1.5,
    ],
    "categories": [
        "留守",
        "农村留守儿童",
        "困境、低保",
        "孤儿,留守",
        "留守儿童",
        "火星人",
        "、",
        "",
        None,
        "低保家庭儿童",
        "事实无人抚养儿童",
        " 留守 ",
        3,
        "留守；困境",
    ],
    "care_level": ["一般", "重点", "特别关注", "", None, "超高", 1, " 重点 "],
    "boarding": ["是", "否", "Y", "住校", "", None, 1, True, 0.0, " 是 "],
    "status": ["", "", "退出", "新增", "正常", "奇怪", None, "在册", " 退出 ", 1],
    "status_reason": ["", "搬走", None, " 随父母 外出 ", 2],
    "status_date": ["", "2026-10-01", "bad", None, date(2026, 9, 9), "2099-01-01", 45000],
    "township": ["宗艾镇", " 西 村 ", "", None, 3, "洪善镇"],
    "text": ["abc", " a  b ", "", None, 3.0, 1.5, date(2020, 1, 2), "x\ty", True, "\u3000", 7],
}
TEXT_FIELDS = ["ethnicity", "household_address", "school", "grade", "father_name", "notes",
               "guardian_name", "mother_status", "father_id_number"]  # fmt: skip
PHONES = ["father_phone", "mother_phone", "guardian_phone"]
OTHER = ["sex", "birth_date", "township", "village", "categories", "care_level", "boarding",
         "status", "status_reason", "status_date", *PHONES, *TEXT_FIELDS]  # fmt: skip


def pool(field: str | None, number: str, birth: date, other: str) -> list[object]:
    if field == "id_number":
        return id_cells(number, birth, other)
    if field == "birth_date":
        return birth_cells(birth)
    if field == "sex":
        right = "男" if int(number[16]) % 2 else "女"
        wrong = "女" if right == "男" else "男"
        return [right, right, right, wrong, *CELLS["sex"]]
    if field in PHONES:
        return CELLS["phone"]
    if field == "village":
        return CELLS["township"]
    if field in CELLS:
        return CELLS[field]
    return CELLS["text"]


@st.composite
def tables(draw) -> tuple[SheetTable, RowDefaults]:
    fields: list[str | None] = draw(
        st.lists(st.sampled_from(OTHER), unique=True, max_size=len(OTHER))
    )
    if draw(st.integers(0, 9)):  # most tables have both; a few lack one (the slow path only)
        fields += ["name", "id_number"]
    else:
        fields += draw(st.sampled_from([["name"], ["id_number"], []]))
    fields += draw(st.lists(st.sampled_from([SEQ, IGNORE, None]), max_size=2))
    fields = draw(st.permutations(fields))
    clean = draw(st.floats(0, 1))  # how many cells are the usual, clean kind
    rows = []
    for n in range(draw(st.integers(0, 25))):
        birth = draw(st.dates(date(1995, 1, 1), date(2026, 11, 28)))
        number = make_id("140702", birth, draw(st.integers(0, 999)))
        other = make_id("141002", date(2012, 5, 6), draw(st.integers(0, 999)))
        cells = []
        for field in fields:
            choices = pool(field, number, birth, other)
            cells.append(
                choices[0] if draw(st.floats(0, 1)) < clean else draw(st.sampled_from(choices))
            )
        if draw(st.integers(0, 15)) == 0:
            cells = cells[: draw(st.integers(0, len(cells)))]  # a short row
        rows.append((n + 2, tuple(cells)))
    defaults = RowDefaults(
        draw(st.sampled_from(["", "宗艾镇", " 洪  善镇 "])),
        draw(st.sampled_from(["", "东村"])),
        draw(st.sampled_from([(), ("农村留守儿童",), ("困境儿童", "孤儿")])),
        TODAY,
    )
    return table_of(fields, rows), defaults


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_same_rows_as_one_by_one(case) -> None:
    table, defaults = case
    assert_same(table, defaults)


LEDGER = ["序号", "name", "sex", "id_number", "birth_date", "township", "village", "guardian_name",
          "guardian_phone", "categories", "care_level", "notes"]  # fmt: skip


def ledger(count: int, seed: int) -> SheetTable:
    """A ledger as the benchmark writes it, every cell text, with a few faults sprinkled in."""
    rnd = random.Random(seed)
    rows = []
    for n in range(count):
        birth = date(2008 + n % 12, 1 + n % 12, 1 + n % 28)
        number = make_id("140702", birth, n % 1000)
        sex = "男" if int(number[16]) % 2 else "女"
        cells = [str(n + 1), f"张{n}", sex, number, f"{birth.year}.{birth.month}.{birth.day}",
                 "宗艾镇", "东村", "李桂兰", f"139{n:08d}", "困境、低保", "一般", ""]  # fmt: skip
        if rnd.random() < 0.05:
            column = rnd.randrange(1, len(cells))
            cells[column] = rnd.choice(pool(LEDGER[column], number, birth, number))
        rows.append((n + 2, tuple(cells)))
    return table_of([None if f == "序号" else f for f in LEDGER], rows)


@pytest.mark.parametrize("seed", [1, 2])
def test_a_big_ledger_goes_mostly_the_fast_way(seed, monkeypatch) -> None:
    table = ledger(3000, seed)
    slow = []

    def counted(*args):
        slow.append(args[1])
        return parse_child_row(*args)

    defaults = RowDefaults("", "", (), TODAY)
    assert_same(table, defaults)
    monkeypatch.setattr(ledger_columns, "parse_child_row", counted)
    parsed = parse_child_rows(table, list(table.data), defaults)
    assert len(parsed) == 3000 and 0 < len(slow) < 400  # only the rows given a fault
    assert all(p.facts is not None and not p.errors and not p.warnings for p in parsed[:1])


def test_a_village_written_on_every_row_is_kept_once() -> None:
    """200,000 rows' facts stay in memory for the whole import: repeated texts are shared."""
    table = ledger(500, seed=3)
    village = LEDGER.index("village")
    # As read from a file: every cell its own string object, equal ones too.
    rows = [(n, (*c[:village], "".join(["东", "村"]), *c[village + 1 :])) for n, c in table.data]
    assert len({id(cells[village]) for _n, cells in rows}) == 500
    parsed = parse_child_rows(table, rows, RowDefaults(today=TODAY))
    villages = {id(p.facts.village) for p in parsed if p.facts is not None and p.facts.village}
    names = {id(p.facts.name) for p in parsed if p.facts is not None}
    assert len(villages) < 30 and len(names) > 450  # names differ: each keeps its own


def test_a_table_without_id_numbers_goes_the_usual_way(monkeypatch) -> None:
    table = table_of(["name", "sex"], [(2, ("张三", "男")), (3, ("李四", "未知"))])
    calls = []
    monkeypatch.setattr(
        ledger_columns, "parse_child_row", lambda *a: calls.append(a) or parse_child_row(*a)
    )
    assert_same(table, RowDefaults(today=TODAY))
    assert len(calls) == 2  # both rows, by parse_child_row itself


def test_plans_made_a_column_at_a_time_are_plan_by_plan(db, tmp_path, isolated_home) -> None:
    from carebook.services import ledger_match
    from carebook.services.ledger_import import ImportOptions, apply_import, build_plan
    from carebook.services.progress import run_to_end
    from tests.exchange.builders import bad_check, ledger_rows, write_xlsx

    def plan_of(path):
        return run_to_end(build_plan(db, path, ImportOptions(today=TODAY)))

    first = ledger_rows(30)
    run_to_end(apply_import(db, plan_of(write_xlsx(tmp_path / "a.xlsx", first)),
                            backups_dir=tmp_path / "b", today=TODAY))  # fmt: skip
    rows = ledger_rows(60)
    rows[3][6] = "王桂兰"  # an update
    rows[40][3] = bad_check(rows[40][3])  # an error
    rows[41][2] = "女" if rows[41][2] == "男" else "男"  # a warning
    rows[50] = list(rows[49])  # the same child twice
    plan = plan_of(write_xlsx(tmp_path / "b.xlsx", rows))
    with db.reading() as session:
        lookup = ledger_match.look_up_rows(session, plan.parsed)
    matched = ledger_match.decide(plan.parsed, TODAY, lookup)
    assert {row.action for row, _op in matched} == {"create", "update", "unchanged", "skipped"}
    assert [row for row, _op in matched] == [ledger_match._plan(op) for _row, op in matched]
    assert [row for row, _op in matched] == plan.rows
