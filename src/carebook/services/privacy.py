"""Privacy decisions a worker takes outside any one record, written to the audit log."""

from __future__ import annotations

from pathlib import Path

from carebook.services.audit import Origin, record
from carebook.storage.database import Database


def record_masking_choice(db: Database, origin: Origin, masked: bool) -> None:
    """设置 → 隐私 turned on or off. Off, every list, form and default print shows full ID
    numbers and phones with no reveal to log one by one: the log says who chose that, when."""
    record(
        db,
        origin,
        "update",
        "settings",
        "",
        field="默认隐藏身份证号和电话号码的中间部分",
        old="否" if masked else "是",
        new="是" if masked else "否",
    )


def record_saved_print(db: Database, origin: Origin, what: str, printed: Path, saved: Path) -> None:
    """A print preview's 另存为PDF: the print was logged child by child under its temporary
    file's name; this says where a copy of that file now lives, outside carebook's care."""
    record(
        db,
        origin,
        "export",
        "print",
        "",
        field=what,
        old=f"文件 {Path(printed).name}",
        new=str(saved),
    )
