"""Errors from services, storage and printing come in the worker's language, Chinese by default."""

from __future__ import annotations

import ast
import os
import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from carebook import i18n
from carebook.printing.fonts import CID_FONT, choose_font
from carebook.services import backup, visits
from carebook.services import children as child_service
from carebook.services.errors import DuplicateChildError, ServiceError, ValidationError
from carebook.storage.database import open_database
from carebook.storage.errors import DatabaseDamagedError, DatabaseInUseError
from tests.conftest import TODAY, child_facts

SRC = Path(__file__).resolve().parents[2] / "src" / "carebook"
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_a_duplicate_id_number_is_refused_in_the_chosen_language(db, language) -> None:
    child_service.register_child(db, child_facts(), today=TODAY)
    with pytest.raises(DuplicateChildError) as caught:
        child_service.register_child(db, child_facts(name="王小明"), today=TODAY)
    expected = {
        "zh_CN": "身份证号 110105********0025 已登记为 张子涵，不能重复登记。",
        "en": "ID number 110105********0025 is already registered to 张子涵; "
        "it cannot be registered twice.",
    }
    assert caught.value.message == expected[language]
    assert str(caught.value) == expected[language]


def test_a_database_in_use_says_so_in_the_chosen_language(db, db_path: Path, language) -> None:
    with pytest.raises(DatabaseInUseError) as caught:
        open_database(f"sqlite:///{db_path}")
    message = str(caught.value)
    if language == "en":
        # The lock file names the holder in Chinese ("进程 1234"); the worker reads it in English.
        assert message == (
            f"The database carebook.db is in use by another carebook (process {os.getpid()}); "
            "close that program first, then open it again."
        )
    else:
        assert message == (
            f"数据库 carebook.db 正被另一个关爱簿程序使用（进程 {os.getpid()}），"
            "请先关闭那个程序再打开。"
        )


def test_a_failed_restore_is_explained_in_english(db, tmp_path: Path, english) -> None:
    not_ours = tmp_path / "other.db"
    sqlite3.connect(not_ours).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(ServiceError) as caught:
        backup.restore_backup(db, not_ours, tmp_path / "backups")
    assert str(caught.value) == "The file other.db is not a carebook backup."
    text_file = tmp_path / "notes.db"
    text_file.write_text("not a database", encoding="utf-8")
    with pytest.raises(DatabaseDamagedError, match=r"^The file notes\.db is not a carebook"):
        backup.restore_backup(db, text_file, tmp_path / "backups")


def test_a_failed_restore_is_explained_in_chinese_by_default(db, tmp_path: Path) -> None:
    text_file = tmp_path / "notes.db"
    text_file.write_text("not a database", encoding="utf-8")
    with pytest.raises(DatabaseDamagedError, match=r"^文件 notes\.db 不是关爱簿的数据库。$"):
        backup.restore_backup(db, text_file, tmp_path / "backups")


def test_an_invalid_visit_lists_every_problem_in_the_chosen_language(db, language) -> None:
    uid = child_service.register_child(db, child_facts(), today=TODAY).uid
    bad = visits.VisitInput(visited_on=date(2026, 12, 1), way="飞鸽传书")
    with pytest.raises(ValidationError) as caught:
        visits.log_visit(db, [uid], bad, today=TODAY)
    problems = caught.value.problems
    if language == "en":
        assert problems["visited_on"] == "The visit date cannot be later than today."
        assert problems["visitor_name"] == "Please enter who visited."
        # The choices are data the form offers, so they stay as the form shows them.
        assert problems["way"].startswith("The way of visiting must be one of: 入户走访")
        # Whole English sentences run on with a space, not with the Chinese "；".
        assert str(caught.value) == " ".join(problems.values())
    else:
        assert problems["visited_on"] == "走访日期不能晚于今天。"
        assert problems["visitor_name"] == "请填写走访人。"
        assert str(caught.value) == "；".join(problems.values())


def test_an_unfinished_status_change_is_refused_in_english(db, english) -> None:
    uid = child_service.register_child(db, child_facts(), today=TODAY).uid
    with pytest.raises(ValidationError) as caught:
        child_service.exit_register(db, uid, on=TODAY, reason=" ")
    assert caught.value.problems == {
        "status_reason": "Please give the reason for leaving the register."
    }


def test_the_font_note_follows_a_language_change_while_running() -> None:
    chinese = choose_font(CID_FONT).note
    i18n.set_language("en")
    try:
        english = choose_font(CID_FONT).note
    finally:
        i18n.set_language("zh_CN")
    assert chinese.startswith("按设置使用内置 STSong-Light 字体")
    assert english.startswith("Using the built-in STSong-Light font")
    assert choose_font(CID_FONT).note == chinese


GUARDED_LAYERS = ("services", "storage", "printing", "domain", "exchange")
# Exceptions whose first argument is the sentence a worker reads, besides every ...Error.
REFUSALS = {"FileRefused", "PasswordNeeded", "WrongPassword"}
# Dicts of per-field sentences, and the names and keywords that hold a sentence for the worker.
SHOWN_DICTS = {"problems", "errors", "warnings"}
SHOWN_NAMES = {"message", "reason", "note"}
# Only there: in services and printing a `reason` or `note` may be data that stays Chinese (a
# status reason stored with the child, a total printed on the county's form).
NAMES_ARE_SENTENCES = ("domain", "exchange")


def _bare_chinese(node: ast.expr | None) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(CJK.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_bare_chinese(part) for part in node.values)
    if isinstance(node, ast.IfExp):  # "没有填写性别。" if text is None else f"…"
        return _bare_chinese(node.body) or _bare_chinese(node.orelse)
    if isinstance(node, ast.BoolOp):
        return any(_bare_chinese(value) for value in node.values)
    return False


def _callee(node: ast.Call) -> str:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return ""


def _shown_texts(tree: ast.AST, *, by_name: bool = True):
    """Exception messages, per-field problems, skip reasons, notes and progress: what is read."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
            yield node.exc.args[0]
        if isinstance(node, ast.Call):
            name = _callee(node)
            # Built and returned as well as raised: phones' _error(), readers' _damaged().
            is_error = name.endswith("Error") or name in REFUSALS
            if is_error and node.args and not isinstance(node.parent, ast.Raise):
                yield node.args[0]
            if name == "Progress" and len(node.args) > 2:
                yield node.args[2]
            if name == "SkippedSheet" and len(node.args) > 1:
                yield node.args[1]
            if name == "ValidationError" and node.args and isinstance(node.args[0], ast.Dict):
                yield from node.args[0].values
            if by_name:
                yield from (k.value for k in node.keywords if k.arg in SHOWN_NAMES)
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            if isinstance(target, ast.Subscript):
                target = target.value
                if isinstance(target, ast.Name) and target.id in SHOWN_DICTS:
                    yield node.value
            elif by_name and isinstance(target, ast.Name) and target.id in SHOWN_NAMES:
                yield node.value


def _parse(source: str) -> ast.AST:
    tree = ast.parse(source)
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            child.parent = node  # type: ignore[attr-defined]
    return tree


def test_no_error_or_progress_message_skips_translation() -> None:
    found = []
    for layer in GUARDED_LAYERS:
        for path in sorted((SRC / layer).rglob("*.py")):
            name = path.relative_to(SRC).as_posix()
            if "migrations" in path.parts:
                continue
            tree = _parse(path.read_text(encoding="utf-8"))
            shown = _shown_texts(tree, by_name=layer in NAMES_ARE_SENTENCES)
            found += [f"{name}:{n.lineno}" for n in shown if _bare_chinese(n)]
    assert found == [], f"wrap these in tr(): {found}"


def test_the_guard_sees_bare_messages_and_passes_translated_ones() -> None:
    source = (
        'raise ServiceError(f"找不到{x}")\n'
        'problems["name"] = "请填写姓名。"\n'
        'yield Progress(0, 1, "排版中")\n'
        'raise ValidationError({"a": tr("请填写姓名。")})\n'
        'raise NotFoundError(tr("找不到{x}", x=x))\n'
        'return PhoneError(f"“{x}”不是有效的电话号码。")\n'
        'errors["sex"] = f"性别“{sex}”无法识别"\n'
        'warnings["sex"] = tr("性别“{given}”与身份证号不一致", given=sex)\n'
        'return SkippedSheet(raw.name, "工作表是空的")\n'
        'column = replace(column, note=f"与“{h}”列含义相同")\n'
        'reason = "这是汇总或说明表"\n'
        'raise FileRefused(tr("文件“{file}”里没有工作表。", file=name))\n'
        'message = tr("身份证号码校验不通过")\n'
        'raise errors.WrongPassword(f"文件“{name}”的密码不对")\n'
        'SEXES = ("男", "女")\n'
        'raise DomainError("没有填写性别。" if x is None else tr("“{x}”不是有效的性别。", x=x))\n'
    )
    lines = sorted({n.lineno for n in _shown_texts(_parse(source)) if _bare_chinese(n)})
    assert lines == [1, 2, 3, 6, 7, 9, 10, 11, 14, 16]
