"""Reading .csv and .txt tables: encoding (UTF-8 with or without BOM, GBK/GB18030) and delimiter."""

from __future__ import annotations

import codecs
import csv
from pathlib import Path

from carebook.exchange.errors import FileRefused
from carebook.i18n import tr

_DELIMITERS = (",", "\t", ";", "，")
_SAMPLE = 64 * 1024


def detect_encoding(raw: bytes) -> str:
    """utf-8-sig for a BOM, utf-8 when the bytes decode as it, else gb18030 (Windows in China)."""
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A sample cut in the middle of a character fails only at its very end.
        if exc.start >= len(raw) - 3 and len(raw) >= _SAMPLE:
            return "utf-8"
    return "gb18030"


def detect_delimiter(sample: str) -> str:
    lines = [line for line in sample.splitlines()[:30] if line.strip()]
    if not lines:
        return ","
    best, best_score = ",", -1
    for delimiter in _DELIMITERS:
        counts = [line.count(delimiter) for line in lines]
        # The delimiter appears on most lines, about equally often.
        common = max(set(counts), key=counts.count)
        score = common * counts.count(common) if common else 0
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _encoding_name(encoding: str) -> str:
    if encoding == "utf-8-sig":
        return tr("UTF-8（带 BOM）")
    if encoding == "gb18030":
        return tr("GB18030/GBK（中文 Windows 默认）")
    return encoding.upper()  # UTF-8, UTF-16


def _delimiter_name(delimiter: str) -> str:
    # Looked up when a file is read, so the note comes in the language chosen at that moment.
    names = {",": tr("逗号"), "\t": tr("制表符"), ";": tr("分号"), "，": tr("中文逗号")}
    return names[delimiter]


def read_text_table(path: Path) -> tuple[list[tuple[int, tuple[object, ...]]], str]:
    """Non-empty lines as (line number, cells), and how the file was read."""
    with path.open("rb") as fh:
        sample = fh.read(_SAMPLE)
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileRefused(
            tr(
                "文件“{file}”不是文本表格（含有二进制内容），"
                "请在 Excel 或 WPS 中另存为 .xlsx 再导入。",
                file=path.name,
            )
        )
    encoding = detect_encoding(sample)
    try:
        text_sample = sample.decode(encoding, errors="replace")
    except LookupError:  # pragma: no cover - the codecs above always exist
        text_sample = sample.decode("gb18030", errors="replace")
    delimiter = detect_delimiter(text_sample)
    rows: list[tuple[int, tuple[object, ...]]] = []
    try:
        with path.open(encoding=encoding, errors="strict", newline="") as fh:
            reader = csv.reader(fh, delimiter=delimiter)
            line = 1
            for cells in reader:
                if "".join(cells).strip():  # some cell holds more than spaces
                    rows.append((line, tuple(cells)))
                line = reader.line_num + 1
    except UnicodeDecodeError:
        raise FileRefused(
            tr(
                "文件“{file}”的文字编码无法识别（既不是 UTF-8 也不是 GBK），"
                "请在 Excel 或 WPS 中打开后另存为 .xlsx 再导入。",
                file=path.name,
            )
        ) from None
    except csv.Error as exc:
        raise FileRefused(
            tr(
                "文件“{file}”的格式有误（{error}），请另存为 .xlsx 再导入。",
                file=path.name,
                error=exc,
            )
        ) from None
    note = tr(
        "文本文件按 {encoding} 编码、{delimiter}分隔读取，行号为文本行号",
        encoding=_encoding_name(encoding),
        delimiter=_delimiter_name(delimiter),
    )
    return rows, note
