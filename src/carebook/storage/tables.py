"""The data model as typed SQLAlchemy mappings; rows that travel carry uid and timestamps."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_uid() -> str:
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Tracked:
    """Columns of every row that travels in the county workbook: stable uid, times, soft delete."""

    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)


class Area(Base):
    """County, township or village; villages hang under townships, townships under a county."""

    __tablename__ = "areas"
    id: Mapped[int] = mapped_column(primary_key=True)
    level: Mapped[str] = mapped_column(String(10))  # county | township | village
    name: Mapped[str] = mapped_column(String(60))
    code: Mapped[str] = mapped_column(String(20), default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), default=None)
    __table_args__ = (UniqueConstraint("parent_id", "level", "name", name="uq_areas_place"),)


class Child(Tracked, Base):
    __tablename__ = "children"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    name_pinyin: Mapped[str] = mapped_column(String(200), default="")
    name_initials: Mapped[str] = mapped_column(String(60), default="")
    search_text: Mapped[str] = mapped_column(Text, default="")
    sex: Mapped[str] = mapped_column(String(2), default="")
    ethnicity: Mapped[str] = mapped_column(String(20), default="")
    id_number: Mapped[str | None] = mapped_column(String(18), unique=True, default=None)
    birth_date: Mapped[date | None] = mapped_column(Date, default=None)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    household_address: Mapped[str] = mapped_column(String(200), default="")
    current_address: Mapped[str] = mapped_column(String(200), default="")
    school: Mapped[str] = mapped_column(String(100), default="")
    grade: Mapped[str] = mapped_column(String(20), default="")
    boarding: Mapped[bool] = mapped_column(Boolean, default=False)
    health: Mapped[str] = mapped_column(String(100), default="")
    disability_type: Mapped[str] = mapped_column(String(20), default="")
    disability_grade: Mapped[str] = mapped_column(String(10), default="")
    father_name: Mapped[str] = mapped_column(String(40), default="")
    father_id_number: Mapped[str] = mapped_column(String(18), default="")
    father_status: Mapped[str] = mapped_column(String(20), default="")
    father_work_place: Mapped[str] = mapped_column(String(100), default="")
    father_phone: Mapped[str] = mapped_column(String(20), default="")
    mother_name: Mapped[str] = mapped_column(String(40), default="")
    mother_id_number: Mapped[str] = mapped_column(String(18), default="")
    mother_status: Mapped[str] = mapped_column(String(20), default="")
    mother_work_place: Mapped[str] = mapped_column(String(100), default="")
    mother_phone: Mapped[str] = mapped_column(String(20), default="")
    guardian_name: Mapped[str] = mapped_column(String(40), default="")
    guardian_relation: Mapped[str] = mapped_column(String(20), default="")
    guardian_phone: Mapped[str] = mapped_column(String(20), default="")
    guardian_id_number: Mapped[str] = mapped_column(String(18), default="")
    guardian_health: Mapped[str] = mapped_column(String(40), default="")
    guardianship_type: Mapped[str] = mapped_column(String(20), default="")
    guardianship_assessment: Mapped[str] = mapped_column(String(10), default="")
    support: Mapped[str] = mapped_column(String(200), default="")  # 低保、特困供养 ... joined by 、
    help_measures: Mapped[str] = mapped_column(Text, default="")
    care_level: Mapped[str] = mapped_column(String(10), default="一般")
    status: Mapped[str] = mapped_column(String(4), default="在册", index=True)
    status_date: Mapped[date | None] = mapped_column(Date, default=None)
    status_reason: Mapped[str] = mapped_column(String(100), default="")
    registered_on: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Maintained by the visit services so the due lists need no aggregate over all visits.
    last_visit_on: Mapped[date | None] = mapped_column(Date, default=None)
    next_due_on: Mapped[date | None] = mapped_column(Date, default=None, index=True)

    categories: Mapped[list[ChildCategory]] = relationship(
        back_populates="child", cascade="all, delete-orphan", order_by="ChildCategory.position"
    )
    __table_args__ = (
        Index("ix_children_name", "name"),
        Index("ix_children_name_initials", "name_initials"),
        # Covers every column the statistics figures count (migration 0006); its first three
        # columns answer the due lists' counts with a range search.
        Index(
            "ix_children_figures",
            "deleted_at",
            "status",
            "next_due_on",
            "village_id",
            "sex",
            "birth_date",
            "registered_on",
            "status_date",
        ),
        # What a due list shows, in its order (migration 0008): no lookup of each child's row.
        Index(
            "ix_children_due",
            "deleted_at",
            "status",
            "next_due_on",
            "name",
            "uid",
            "last_visit_on",
            "care_level",
            "guardian_name",
            "guardian_phone",
            "village_id",
        ),
    )


class ChildCategory(Base):
    __tablename__ = "child_categories"
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), primary_key=True)
    category: Mapped[str] = mapped_column(String(30), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    child: Mapped[Child] = relationship(back_populates="categories")
    __table_args__ = (Index("ix_child_categories_category", "category"),)


class Volunteer(Tracked, Base):
    """爱心妈妈: a volunteer (or a team, with team_name) who can be paired with children."""

    __tablename__ = "volunteers"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), index=True)
    name_pinyin: Mapped[str] = mapped_column(String(200), default="")
    name_initials: Mapped[str] = mapped_column(String(60), default="")
    sex: Mapped[str] = mapped_column(String(2), default="女")
    phone: Mapped[str] = mapped_column(String(20), default="", index=True)
    identities: Mapped[str] = mapped_column(String(100), default="")  # 妇联干部、志愿者 ...
    work_unit: Mapped[str] = mapped_column(String(100), default="")
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), default=None, index=True)
    skills: Mapped[str] = mapped_column(String(200), default="")
    team_name: Mapped[str] = mapped_column(String(60), default="")
    status: Mapped[str] = mapped_column(String(4), default="在岗")  # 在岗 | 停用
    notes: Mapped[str] = mapped_column(Text, default="")


class Pairing(Tracked, Base):
    __tablename__ = "pairings"
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), index=True)
    mode: Mapped[str] = mapped_column(String(10), default="一对一")
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date, default=None)
    end_reason: Mapped[str] = mapped_column(String(100), default="")
    renewed_from_id: Mapped[int | None] = mapped_column(ForeignKey("pairings.id"), default=None)
    notes: Mapped[str] = mapped_column(Text, default="")
    # The set of children with an active pairing, and their volunteers, read from the index
    # alone (migrations 0006 and 0008).
    __table_args__ = (
        Index("ix_pairings_active", "deleted_at", "ended_on", "child_id", "volunteer_id"),
    )


class Visit(Tracked, Base):
    """One visit to one child; a family visit shares family_visit_uid across its children."""

    __tablename__ = "visits"
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    visited_on: Mapped[date] = mapped_column(Date, index=True)
    way: Mapped[str] = mapped_column(String(10), default="入户走访")
    visitor_name: Mapped[str] = mapped_column(String(40), default="")
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id"), default=None)
    people_met: Mapped[str] = mapped_column(String(100), default="")
    life: Mapped[str] = mapped_column(Text, default="")
    study: Mapped[str] = mapped_column(Text, default="")
    health: Mapped[str] = mapped_column(Text, default="")
    safety: Mapped[str] = mapped_column(Text, default="")
    mental: Mapped[str] = mapped_column(Text, default="")
    guardianship_problems: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    help_given: Mapped[str] = mapped_column(Text, default="")
    follow_up: Mapped[str] = mapped_column(Text, default="")
    next_visit_on: Mapped[date | None] = mapped_column(Date, default=None)
    family_visit_uid: Mapped[str] = mapped_column(String(32), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (
        Index("ix_visits_child_visited", "child_id", "visited_on"),
        Index("ix_visits_day_live", "visited_on", "deleted_at", "child_id"),
        Index("ix_visits_volunteer", "volunteer_id", "visited_on"),  # migration 0009
    )


class Activity(Tracked, Base):
    __tablename__ = "activities"
    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(String(100))
    organiser: Mapped[str] = mapped_column(String(100), default="")
    partners: Mapped[str] = mapped_column(String(200), default="")
    place: Mapped[str] = mapped_column(String(100), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    goods: Mapped[str] = mapped_column(String(200), default="")


class ActivityChild(Base):
    __tablename__ = "activity_children"
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"), primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), primary_key=True, index=True)


class ActivityVolunteer(Base):
    __tablename__ = "activity_volunteers"
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"), primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id"), primary_key=True)


class Assistance(Tracked, Base):
    """Goods, money or services given to one child, possibly as part of an activity."""

    __tablename__ = "assistance"
    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id"), index=True)
    given_on: Mapped[date] = mapped_column(Date, index=True)
    project: Mapped[str] = mapped_column(String(40), default="其他")
    content: Mapped[str] = mapped_column(String(200), default="")
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(12, 2), default=None)
    value_yuan: Mapped[Decimal | None] = mapped_column(Numeric(12, 2), default=None)
    provider: Mapped[str] = mapped_column(String(100), default="")
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id"), default=None)
    notes: Mapped[str] = mapped_column(Text, default="")


class AuditEntry(Base):
    """Who did what to which record and field, old -> new, and where the change came from."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(40), default="")
    action: Mapped[str] = mapped_column(String(20))  # create update exit reenter delete reveal ...
    entity: Mapped[str] = mapped_column(String(20), default="")
    entity_uid: Mapped[str] = mapped_column(String(32), default="", index=True)
    field: Mapped[str] = mapped_column(String(40), default="")
    old_value: Mapped[str] = mapped_column(Text, default="")
    new_value: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(300), default="")  # 手工录入 / 导入:file / 合并:book


class Meta(Base):
    """Key-value facts about this database, such as the installation's own uid."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class ExchangeExport(Base):
    """A county workbook this installation wrote: the base of a later three-way merge."""

    __tablename__ = "exchange_exports"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    exported_at: Mapped[datetime] = mapped_column(DateTime)
    recipient: Mapped[str] = mapped_column(String(100), default="")
    file_name: Mapped[str] = mapped_column(String(300), default="")
    scope: Mapped[dict] = mapped_column(JSON, default=dict)
    masked_ids: Mapped[bool] = mapped_column(Boolean, default=False)
    row_count: Mapped[int] = mapped_column(Integer, default=0)


class ExchangeImport(Base):
    """A county workbook read back here, so reading it again can be recognised."""

    __tablename__ = "exchange_imports"
    id: Mapped[int] = mapped_column(primary_key=True)
    workbook_uid: Mapped[str] = mapped_column(String(32), index=True)
    origin_uid: Mapped[str] = mapped_column(String(32), default="")
    file_name: Mapped[str] = mapped_column(String(300), default="")
    file_sha256: Mapped[str] = mapped_column(String(64), default="")
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    summary: Mapped[dict] = mapped_column(JSON, default=dict)


class ImportProfile(Base):
    """A column mapping the user corrected, reused for files with the same header."""

    __tablename__ = "import_profiles"
    id: Mapped[int] = mapped_column(primary_key=True)
    header_signature: Mapped[str] = mapped_column(String(64), unique=True)
    mapping: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class ImportFingerprint(Base):
    """A child's ledger row as last imported (hashed), so an unchanged re-import skips its checks.

    Valid only while the child is untouched since (child_updated_at equals the child's
    updated_at) and for imports checked on or after checked_on.
    """

    __tablename__ = "import_fingerprints"
    child_id: Mapped[int] = mapped_column(
        ForeignKey("children.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    fingerprint: Mapped[str] = mapped_column(String(32))
    child_updated_at: Mapped[datetime] = mapped_column(DateTime)
    checked_on: Mapped[date] = mapped_column(Date)


TRACKED_TABLES = (Child, Volunteer, Pairing, Visit, Activity, Assistance)
