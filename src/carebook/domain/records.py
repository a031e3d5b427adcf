"""Value objects that cross layers: a child, a volunteer and their labels, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

# Field name -> the label a worker sees (forms, audit log, reports). Order is the form's order.
CHILD_FIELD_LABELS: dict[str, str] = {
    "name": "姓名",
    "sex": "性别",
    "ethnicity": "民族",
    "id_number": "公民身份号码",
    "birth_date": "出生日期",
    "township": "乡镇",
    "village": "村（社区）",
    "household_address": "户籍地址",
    "current_address": "现住址",
    "school": "就读学校",
    "grade": "年级",
    "boarding": "是否寄宿",
    "health": "健康状况",
    "disability_type": "残疾类别",
    "disability_grade": "残疾等级",
    "father_name": "父亲姓名",
    "father_id_number": "父亲身份证号",
    "father_status": "父亲状态",
    "father_work_place": "父亲务工地",
    "father_phone": "父亲电话",
    "mother_name": "母亲姓名",
    "mother_id_number": "母亲身份证号",
    "mother_status": "母亲状态",
    "mother_work_place": "母亲务工地",
    "mother_phone": "母亲电话",
    "guardian_name": "监护人姓名",
    "guardian_relation": "监护人关系",
    "guardian_phone": "监护人电话",
    "guardian_id_number": "监护人身份证号",
    "guardian_health": "监护人健康状况",
    "guardianship_type": "监护类型",
    "guardianship_assessment": "监护评估",
    "support": "享受政策",
    "help_measures": "帮扶措施",
    "categories": "儿童类别",
    "care_level": "关爱等级",
    "notes": "备注",
}

STATUS_FIELD_LABELS: dict[str, str] = {
    "status": "状态",
    "status_date": "状态变更日期",
    "status_reason": "状态变更原因",
    "registered_on": "登记日期",
}

PERSONAL_NUMBER_FIELDS = frozenset(
    {"id_number", "father_id_number", "mother_id_number", "guardian_id_number"}
)
PHONE_FIELDS = frozenset({"father_phone", "mother_phone", "guardian_phone"})
# In a fixed order: iterating the frozenset changes order with the hash seed, run to run.
PHONE_FIELD_ORDER = ("father_phone", "guardian_phone", "mother_phone")


@dataclass(frozen=True)
class ChildFacts:
    """Everything a worker types or imports about a child (status is managed by its own actions)."""

    name: str
    sex: str = ""
    ethnicity: str = ""
    id_number: str | None = None
    birth_date: date | None = None
    township: str = ""
    village: str = ""
    household_address: str = ""
    current_address: str = ""
    school: str = ""
    grade: str = ""
    boarding: bool = False
    health: str = ""
    disability_type: str = ""
    disability_grade: str = ""
    father_name: str = ""
    father_id_number: str = ""
    father_status: str = ""
    father_work_place: str = ""
    father_phone: str = ""
    mother_name: str = ""
    mother_id_number: str = ""
    mother_status: str = ""
    mother_work_place: str = ""
    mother_phone: str = ""
    guardian_name: str = ""
    guardian_relation: str = ""
    guardian_phone: str = ""
    guardian_id_number: str = ""
    guardian_health: str = ""
    guardianship_type: str = ""
    guardianship_assessment: str = ""
    support: str = ""
    help_measures: str = ""
    categories: tuple[str, ...] = ()
    care_level: str = "一般"
    notes: str = ""

    def as_dict(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


CHILD_FACT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ChildFacts))


@dataclass(frozen=True)
class ChildRecord:
    """A child as stored: the facts plus identity, register status and schedule."""

    uid: str
    facts: ChildFacts
    status: str
    status_date: date | None
    status_reason: str
    registered_on: date
    last_visit_on: date | None
    next_due_on: date | None
    created_at: object
    updated_at: object


@dataclass(frozen=True)
class VolunteerFacts:
    name: str
    sex: str = "女"
    phone: str = ""
    identities: tuple[str, ...] = ()
    work_unit: str = ""
    township: str = ""
    village: str = ""
    skills: str = ""
    team_name: str = ""
    notes: str = ""

    def as_dict(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


VOLUNTEER_FIELD_LABELS: dict[str, str] = {
    "name": "姓名",
    "sex": "性别",
    "phone": "手机",
    "identities": "身份",
    "work_unit": "工作单位",
    "township": "乡镇",
    "village": "村（社区）",
    "skills": "特长",
    "team_name": "团队",
    "notes": "备注",
}
