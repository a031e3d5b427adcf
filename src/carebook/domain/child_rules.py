"""Checking and cleaning a child's facts the same way for the form, the importer and the merge."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from carebook.domain.categories import canonical_care_level, canonical_category
from carebook.domain.errors import DomainError
from carebook.domain.id_numbers import parse_id
from carebook.domain.people import canonical_sex
from carebook.domain.phones import normalize_phone
from carebook.domain.records import CHILD_FIELD_LABELS, PHONE_FIELDS, ChildFacts


@dataclass(frozen=True)
class CheckedFacts:
    """Cleaned facts with errors (cannot be saved) and warnings (saved, but worth a look)."""

    facts: ChildFacts
    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def check_child_facts(facts: ChildFacts, *, today: date | None = None) -> CheckedFacts:
    """Normalise every field; the ID number wins over a birth date or sex that disagree with it."""
    today = today or date.today()
    errors: dict[str, str] = {}
    warnings: dict[str, str] = {}
    changes: dict[str, object] = {"name": " ".join(facts.name.split())}
    if not changes["name"]:
        errors["name"] = "姓名不能为空。"

    if facts.id_number:
        try:
            parsed = parse_id(facts.id_number, today=today)
        except DomainError as exc:
            errors["id_number"] = exc.message
        else:
            changes["id_number"] = parsed.number
            if facts.birth_date and facts.birth_date != parsed.birth_date:
                warnings["birth_date"] = (
                    f"出生日期 {facts.birth_date.isoformat()} 与身份证号不一致，"
                    f"已按身份证号改为 {parsed.birth_date.isoformat()}。"
                )
            if facts.sex and _sex_or_blank(facts.sex) != parsed.sex:
                warnings["sex"] = (
                    f"性别“{facts.sex}”与身份证号不一致，已按身份证号改为{parsed.sex}。"
                )
            changes["birth_date"] = parsed.birth_date
            changes["sex"] = parsed.sex
    else:
        changes["id_number"] = None
        if facts.sex:
            sex = _sex_or_blank(facts.sex)
            if not sex:
                errors["sex"] = f"性别“{facts.sex}”无法识别，请填写男或女。"
            changes["sex"] = sex
    if facts.birth_date and facts.birth_date > today:
        errors["birth_date"] = "出生日期不能晚于今天。"

    for name in PHONE_FIELDS:
        value = getattr(facts, name)
        if value:
            try:
                changes[name] = normalize_phone(value)
            except DomainError as exc:
                errors[name] = f"{CHILD_FIELD_LABELS[name]}：{exc.message}"

    categories: list[str] = []
    for label in facts.categories:
        try:
            categories.append(canonical_category(label))
        except DomainError as exc:
            errors["categories"] = exc.message
    changes["categories"] = tuple(dict.fromkeys(categories))
    try:
        changes["care_level"] = canonical_care_level(facts.care_level or "一般")
    except DomainError as exc:
        errors["care_level"] = exc.message

    for name in ("township", "village", "school", "grade", "guardian_name", "father_name"):
        changes.setdefault(name, " ".join(str(getattr(facts, name)).split()))
    # Faster than dataclasses.replace (ChildFacts has only plain init fields), once per row.
    return CheckedFacts(type(facts)(**{**facts.__dict__, **changes}), errors, warnings)


def _sex_or_blank(text: str) -> str:
    try:
        return canonical_sex(text)
    except DomainError:
        return ""
