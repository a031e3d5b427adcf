"""A 村 or 乡镇 cell left blank under a filled one (meant "same as above"): said, not guessed."""

from __future__ import annotations

from carebook.exchange.sheet_tables import SheetTable
from carebook.i18n import tr
from carebook.services.ledger_rows import Issue, RowDefaults, cell_text

_PLACES = (("township", "乡镇"), ("village", "村"))


def blank_place_issues(table: SheetTable, defaults: RowDefaults) -> dict[int, list[Issue]]:
    """Row number -> a warning per 村/乡镇 cell left blank below a filled one.

    A worker who leaves the village blank under 东村 often means "the same" without merging
    the cells. Merged cells are filled in as they are seen (fill_merged); an unmerged blank is
    not guessed: the child could belong elsewhere. The row goes in with the --village (or
    --township) given, else with none, and the warning names the probable one to check.
    """
    columns = table.field_columns()
    keys = [columns[k] for k in ("name", "id_number") if k in columns]
    issues: dict[int, list[Issue]] = {}
    for name, place in _PLACES:
        index = columns.get(name)
        if index is None:
            continue
        default = defaults.village if name == "village" else defaults.township
        label = tr(place)  # 村, 乡镇 in the reader's language
        above: tuple[int, str] | None = None
        section = None
        for number, cells in table.data:
            if table.sections and table.section_at(number) is not section:
                section, above = table.section_at(number), None  # another table: no "above"
            value = cells[index] if index < len(cells) else None
            if value is not None and (type(value) is not str or value.strip()):
                above = (number, value) if type(value) is str else (number, cell_text(value))
                continue
            if above is None or not any(k < len(cells) and cell_text(cells[k]) for k in keys):
                continue  # nothing above to mean, or a row with nobody in it
            if default:
                then = tr("本行按指定的{label}“{value}”导入", label=label, value=default)
            else:
                then = tr("本行导入后没有{label}", label=label)
            message = tr(
                "{label}是空的；上面第 {row} 行是“{value}”，如果是同一个{label}请填上"
                "（或把这几格合并），否则请填上实际的{label}。{then}。",
                label=label,
                row=above[0],
                value=" ".join(above[1].split()),
                then=then,
            )
            header = table.headers_at(number).get(name, "")
            issues.setdefault(number, []).append(Issue(table.sheet, number, header, message))
    return issues
