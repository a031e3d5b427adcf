"""Checking and cleaning a child's facts the same way for the form, the importer and the merge."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass, field, fields
from datetime import date
from functools import lru_cache

from carebook.domain.categories import canonical_care_level, canonical_category
from carebook.domain.errors import DomainError
from carebook.domain.id_numbers import normalize_id, parse_id
from carebook.domain.people import SEXES, canonical_sex
from carebook.domain.phones import normalize_phone
from carebook.domain.records import CHILD_FIELD_LABELS, PHONE_FIELD_ORDER, ChildFacts
from carebook.i18n import tr

PARENT_ID_FIELDS = ("father_id_number", "mother_id_number", "guardian_id_number")


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
    return _check(facts.__dict__, today or date.today(), type(facts))


def check_child_values(values: Mapping[str, object], *, today: date | None = None) -> CheckedFacts:
    """check_child_facts(ChildFacts(**values)) without building the facts twice (per import row)."""
    if not values.keys() <= _FIELD_SET:
        unknown = ", ".join(sorted(values.keys() - _FIELD_SET))
        raise TypeError(f"ChildFacts has no field(s) {unknown}")
    if "name" not in values:
        raise TypeError("ChildFacts needs a name")
    return _check({**_DEFAULTS, **values}, today or date.today(), ChildFacts)


def _check(data: Mapping[str, object], today: date, kind: type) -> CheckedFacts:
    errors: dict[str, str] = {}
    warnings: dict[str, str] = {}
    name = data["name"]
    changes: dict[str, object] = {"name": " ".join(name.split())}  # type: ignore[attr-defined]
    if not changes["name"]:
        errors["name"] = tr("姓名不能为空。")

    id_number, birth_date, sex = data["id_number"], data["birth_date"], data["sex"]
    if id_number:
        try:
            parsed = parse_id(id_number, today=today)
        except DomainError as exc:
            errors["id_number"] = exc.message
        else:
            changes["id_number"] = parsed.number
            if birth_date and birth_date != parsed.birth_date:
                warnings["birth_date"] = tr(
                    "出生日期 {given} 与身份证号不一致，已按身份证号改为 {birth}。",
                    given=birth_date.isoformat(),  # type: ignore[attr-defined]
                    birth=parsed.birth_date.isoformat(),
                )
            if sex and _sex_or_blank(sex) != parsed.sex:
                warnings["sex"] = tr(
                    "性别“{given}”与身份证号不一致，已按身份证号改为{sex}。",
                    given=sex,
                    sex=parsed.sex,
                )
            changes["birth_date"] = parsed.birth_date
            changes["sex"] = parsed.sex
    else:
        changes["id_number"] = None
        if sex:
            clean_sex = _sex_or_blank(sex)
            if not clean_sex:
                errors["sex"] = tr(
                    "性别“{given}”无法识别，请填写{male}或{female}。",
                    given=sex,
                    male=SEXES[0],
                    female=SEXES[1],
                )
            changes["sex"] = clean_sex
    if birth_date and birth_date > today:  # type: ignore[operator]
        errors["birth_date"] = tr("出生日期不能晚于今天。")

    for field_name in PHONE_FIELD_ORDER:
        value = data[field_name]
        if value:
            try:
                changes[field_name] = normalize_phone(value)
            except DomainError as exc:
                errors[field_name] = tr(
                    "{label}：{problem}", label=CHILD_FIELD_LABELS[field_name], problem=exc.message
                )

    for field_name in PARENT_ID_FIELDS:
        # Checked as the child's is (a digit missing or a wrong check digit was saved as typed,
        # spaces and a small x too), but no date or sex follows from a parent's number.
        value = data[field_name]
        if value:
            try:
                changes[field_name] = parse_id(normalize_id(value), today=today).number
            except DomainError as exc:
                errors[field_name] = tr(
                    "{label}：{problem}", label=CHILD_FIELD_LABELS[field_name], problem=exc.message
                )

    labels = data["categories"]
    if type(labels) is tuple:
        changes["categories"], unknown = _categories(labels)
    else:
        changes["categories"], unknown = _categories.__wrapped__(tuple(labels))  # type: ignore
    if unknown is not None:
        errors["categories"] = _message_of(canonical_category, unknown)
    care_level = data["care_level"] or "一般"
    level = _care_level(care_level)
    if level is None:
        errors["care_level"] = _message_of(canonical_care_level, care_level)
    else:
        changes["care_level"] = level

    for field_name in ("township", "village", "school", "grade", "guardian_name", "father_name"):
        changes.setdefault(field_name, " ".join(str(data[field_name]).split()))
    merged = {**data, **changes}
    if kind is ChildFacts:
        # Filling __dict__ makes the very object ChildFacts(**merged) would (frozen, plain
        # fields, no __post_init__) at a fraction of the cost: this runs once per imported row.
        facts = object.__new__(ChildFacts)
        facts.__dict__.update(merged)
    else:
        facts = kind(**merged)
    return CheckedFacts(facts, errors, warnings)


_DEFAULTS = {f.name: f.default for f in fields(ChildFacts) if f.default is not MISSING}
_FIELD_SET = frozenset(f.name for f in fields(ChildFacts))


# The caches below keep what was found and which label failed, never a message: a cached
# message would stay in the language of the first import after the worker switched.
@lru_cache(maxsize=1024)  # a ledger repeats a handful of category combinations
def _categories(labels: tuple[str, ...]) -> tuple[tuple[str, ...], str | None]:
    found: list[str] = []
    unknown = None  # the last label not understood: its message is the one shown
    for label in labels:
        try:
            found.append(canonical_category(label))
        except DomainError:
            unknown = label
    return tuple(dict.fromkeys(found)), unknown


@lru_cache(maxsize=1024)
def _care_level(text: object) -> str | None:
    try:
        return canonical_care_level(text)  # type: ignore[arg-type]
    except DomainError:
        return None


def _message_of(check: Callable[[str], object], value: object) -> str:
    """The message check(value) raises, made now, in the language chosen now (failures only)."""
    try:
        check(value)  # type: ignore[arg-type]
    except DomainError as exc:
        return exc.message
    raise AssertionError(f"{value!r} was refused before but passes now")


@lru_cache(maxsize=1024)  # 男, 女 and a few other spellings, once per import row
def _sex_or_blank(text: str) -> str:
    try:
        return canonical_sex(text)
    except DomainError:
        return ""


# The same steps _check takes, for code that checks a whole column of an import at once
# (services.ledger_columns): it must reach exactly the answers _check reaches.
known_categories = _categories  # labels -> (canonical labels, the last unknown one or None)
known_care_level = _care_level  # text -> canonical level or None
sex_or_blank = _sex_or_blank  # text -> 男/女, or "" when not understood
FACT_DEFAULTS: Mapping[str, object] = _DEFAULTS  # ChildFacts' defaults in field order (no name)
