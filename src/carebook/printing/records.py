"""What the layouts print, as plain text already masked and formatted by the services."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SheetChild:
    """One child's facts as they appear on a visit sheet (numbers masked unless asked)."""

    uid: str
    file_number: str
    code: str  # short code printed under the QR code: finds the child again
    qr_value: str
    name: str
    sex: str = ""
    ethnicity: str = ""
    birth: str = ""  # "2015-03-12（11岁）"
    id_number: str = ""
    township: str = ""
    village: str = ""
    address: str = ""
    school: str = ""
    grade: str = ""
    boarding: str = ""
    health: str = ""
    categories: str = ""
    care_level: str = ""
    guardian: str = ""
    guardian_relation: str = ""
    guardian_phone: str = ""
    guardianship: str = ""
    father: str = ""
    father_status: str = ""
    father_work_place: str = ""
    father_phone: str = ""
    mother: str = ""
    mother_status: str = ""
    mother_work_place: str = ""
    mother_phone: str = ""
    volunteers: str = ""  # "王芳 138****5678、李红 ..."
    last_visit: str = ""  # "2026-10-03 入户走访（走访人 李红）"
    follow_up: str = ""


@dataclass(frozen=True)
class FilledVisit:
    """A logged visit, to fill the hand-written spaces of a sheet for the archive."""

    uid: str
    visited_on: str
    way: str
    visitor: str
    people_met: str
    life: str
    study: str
    health: str
    safety: str
    mental: str
    guardianship_problems: str
    problems: str
    help_given: str
    follow_up: str
    next_visit_on: str
    notes: str = ""


@dataclass(frozen=True)
class SheetHeader:
    """What stands above every sheet in a batch: the title's county and township, print date."""

    county: str
    township: str
    printed_on: str


@dataclass(frozen=True)
class Section:
    """A titled part of a report: label/value facts, a table, or both (facts first)."""

    title: str
    facts: tuple[tuple[str, str], ...] = ()
    columns: tuple[tuple[str, float], ...] = ()  # (heading, relative width)
    rows: tuple[tuple[str, ...], ...] = ()
    empty_note: str = "（无）"
    numbered: bool = False
    min_row_height: float = 0.0  # sign-in sheets leave room for a signature
    note: str = ""  # a line under the table (totals, how to read it)
    size: float = 0.0  # table type size; 0 means the body size


@dataclass(frozen=True)
class Report:
    """A multi-page print: the child's file, a roster, a due list, a sign-in sheet."""

    title: str
    subtitle: str
    sections: tuple[Section, ...]
    printed_on: str
    landscape: bool = False
    running_title: str = ""  # small title on pages after the first
    code: str = ""  # printed in the footer (and as a QR code on page one when qr_value is set)
    qr_value: str = ""
    signatures: tuple[str, ...] = ()  # "制表人", "审核人": lines with a date at the end
