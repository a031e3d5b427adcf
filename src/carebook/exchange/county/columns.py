"""The workbook contract as data: sheets in order, their headers, value kinds and choices."""

from __future__ import annotations

from dataclasses import dataclass

from carebook.domain.categories import CARE_LEVELS
from carebook.domain.people import (
    ASSISTANCE_PROJECTS,
    DISABILITY_GRADES,
    DISABILITY_TYPES,
    EXIT_REASONS,
    GUARDIAN_RELATIONS,
    REGISTER_STATUSES,
    SEXES,
    VISIT_WAYS,
    VOLUNTEER_IDENTITIES,
)

FORMAT_VERSION = "1"
COVER_SHEET = "说明"
STATS_SHEET = "统计"
META_SHEET = "_carebook"
VOLUNTEER_STATUSES = ("在岗", "停用")

# Kinds of values: how a cell is written, read back and compared.
UID = "uid"  # 编号: the row's stable identifier
TEXT = "text"
ID = "id"  # 公民身份号码: text cell, never a number
PHONE = "phone"
DATE = "date"
NUMBER = "number"
CHOICE = "choice"  # one of `choices`, refused otherwise
SEX = "sex"
CARE = "care"  # 关爱等级, read through the synonym table
CATEGORIES = "categories"
REF = "ref"  # the 编号 of a row on another sheet
DERIVED = "derived"  # shown for people (a name beside an 编号), never merged
STAMP = "stamp"  # 最后修改时间: information only


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str = TEXT
    width: int = 12
    choices: tuple[str, ...] = ()
    strict: bool = True  # False: the drop-down suggests, any text is accepted
    # Read back, never merged field by field: derived here (the last visit), only ever moved on.
    info: bool = False

    @property
    def merged(self) -> bool:
        return self.kind not in (UID, DERIVED, STAMP) and not self.info

    @property
    def is_text_format(self) -> bool:
        return self.kind in (ID, PHONE, UID, REF) or self.field.endswith("id_number")


@dataclass(frozen=True)
class SheetSpec:
    key: str  # also the entity name in the audit log
    name: str
    code: str  # one letter in the _carebook sheet
    columns: tuple[Column, ...]

    @property
    def merge_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.merged)

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    def column(self, field: str) -> Column:
        return next(c for c in self.columns if c.field == field)


def _uid() -> Column:
    return Column("编号", "uid", UID, 34)


def _stamp() -> Column:
    return Column("最后修改时间", "updated_at", STAMP, 20)


CHILDREN = SheetSpec(
    "child",
    "儿童",
    "c",
    (
        _uid(),
        Column("乡镇", "township", TEXT, 12),
        Column("村（社区）", "village", TEXT, 12),
        Column("姓名", "name", TEXT, 10),
        Column("性别", "sex", SEX, 6, SEXES),
        Column("民族", "ethnicity", TEXT, 8),
        Column("公民身份号码", "id_number", ID, 22),
        Column("出生日期", "birth_date", DATE, 12),
        Column("儿童类别", "categories", CATEGORIES, 30),
        Column("关爱等级", "care_level", CARE, 10, CARE_LEVELS),
        Column("状态", "status", CHOICE, 8, REGISTER_STATUSES),
        Column("状态变更原因", "status_reason", TEXT, 16, EXIT_REASONS, strict=False),
        # The dates the county's 新增/退出 figures count by (and a first visit falls due from).
        Column("状态变更日期", "status_date", DATE, 12),
        Column("登记日期", "registered_on", DATE, 12),
        Column("就读学校", "school", TEXT, 20),
        Column("年级", "grade", TEXT, 8),
        Column("健康状况", "health", TEXT, 12),
        Column("残疾类别", "disability_type", CHOICE, 10, DISABILITY_TYPES),
        Column("残疾等级", "disability_grade", CHOICE, 10, DISABILITY_GRADES),
        Column("父亲姓名", "father_name", TEXT, 10),
        Column("父亲务工地", "father_work_place", TEXT, 16),
        Column("父亲电话", "father_phone", PHONE, 15),
        Column("母亲姓名", "mother_name", TEXT, 10),
        Column("母亲务工地", "mother_work_place", TEXT, 16),
        Column("母亲电话", "mother_phone", PHONE, 15),
        Column("监护人姓名", "guardian_name", TEXT, 10),
        Column("监护人关系", "guardian_relation", TEXT, 10, GUARDIAN_RELATIONS, strict=False),
        Column("监护人电话", "guardian_phone", PHONE, 15),
        Column("家庭住址", "current_address", TEXT, 30),
        Column("备注", "notes", TEXT, 24),
        # A period's workbook holds only that period's visits: without this, the county took a
        # child not visited in the period for one never visited, and overdue.
        Column("最后走访日期", "last_visit_on", DATE, 12, info=True),
        _stamp(),
    ),
)

VOLUNTEERS = SheetSpec(
    "volunteer",
    "爱心妈妈",
    "v",
    (
        _uid(),
        Column("姓名", "name", TEXT, 10),
        Column("性别", "sex", SEX, 6, SEXES),
        Column("手机", "phone", PHONE, 15),
        Column("身份", "identities", TEXT, 16, VOLUNTEER_IDENTITIES, strict=False),
        Column("工作单位", "work_unit", TEXT, 24),
        Column("乡镇", "township", TEXT, 12),
        Column("村（社区）", "village", TEXT, 12),
        Column("状态", "status", CHOICE, 8, VOLUNTEER_STATUSES),
        Column("备注", "notes", TEXT, 24),
        _stamp(),
    ),
)

PAIRINGS = SheetSpec(
    "pairing",
    "结对",
    "p",
    (
        _uid(),
        Column("儿童编号", "child_uid", REF, 34),
        Column("儿童姓名", "child_name", DERIVED, 10),
        Column("儿童公民身份号码", "child_id_number", DERIVED, 22),
        Column("爱心妈妈编号", "volunteer_uid", REF, 34),
        Column("爱心妈妈姓名", "volunteer_name", DERIVED, 12),
        Column("开始日期", "started_on", DATE, 12),
        Column("结束日期", "ended_on", DATE, 12),
        Column("结束原因", "end_reason", TEXT, 16),
        _stamp(),
    ),
)

VISITS = SheetSpec(
    "visit",
    "走访记录",
    "w",
    (
        _uid(),
        Column("儿童编号", "child_uid", REF, 34),
        Column("儿童姓名", "child_name", DERIVED, 10),
        Column("走访日期", "visited_on", DATE, 12),
        Column("走访方式", "way", CHOICE, 10, VISIT_WAYS),
        Column("走访人", "visitor_name", TEXT, 10),
        Column("生活情况", "life", TEXT, 20),
        Column("学习情况", "study", TEXT, 20),
        Column("健康情况", "health", TEXT, 20),
        Column("安全情况", "safety", TEXT, 20),
        Column("心理情况", "mental", TEXT, 20),
        Column("发现问题", "problems", TEXT, 20),
        Column("帮扶措施", "help_given", TEXT, 20),
        Column("需跟进事项", "follow_up", TEXT, 20),
        Column("下次走访日期", "next_visit_on", DATE, 14),
        _stamp(),
    ),
)

ASSISTANCE = SheetSpec(
    "assistance",
    "帮扶记录",
    "a",
    (
        _uid(),
        Column("儿童编号", "child_uid", REF, 34),
        Column("儿童姓名", "child_name", DERIVED, 10),
        Column("日期", "given_on", DATE, 12),
        Column("项目", "project", TEXT, 14, ASSISTANCE_PROJECTS, strict=False),
        Column("帮扶内容", "content", TEXT, 24),
        Column("数量", "quantity", NUMBER, 8),
        Column("折合金额（元）", "value_yuan", NUMBER, 14),
        Column("提供单位", "provider", TEXT, 20),
        _stamp(),
    ),
)

DATA_SHEETS: tuple[SheetSpec, ...] = (CHILDREN, VOLUNTEERS, PAIRINGS, VISITS, ASSISTANCE)
SHEETS_BY_NAME = {s.name: s for s in DATA_SHEETS}
SHEETS_BY_CODE = {s.code: s for s in DATA_SHEETS}
SHEETS_BY_KEY = {s.key: s for s in DATA_SHEETS}
STATS_FIXED_HEADERS = ("乡镇", "村（社区）", "在册儿童")
STATS_TAIL_HEADERS = ("已结对", "结对率", "本期走访次数", "逾期未走访")
