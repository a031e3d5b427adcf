"""Multi-page prints as Reports: the child's file, the roster, the due list, the sign-in sheet."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from carebook.i18n import tr
from carebook.printing.records import Report, Section
from carebook.services import print_data as pd
from carebook.services.audit import history
from carebook.services.errors import NotFoundError, ServiceError
from carebook.services.print_data import Reveal
from carebook.services.schedule import DueQuery, due_children
from carebook.services.sheet_codes import make_code, qr_value
from carebook.storage import print_queries as pq
from carebook.storage.database import Database

TABLE_SIZE = 8.5  # tables of the case file and the rosters
HISTORY_FIELDS = frozenset({"儿童类别", "关爱等级", "状态", "状态变更原因"})
ACTIONS = {"create": "登记入册", "exit": "退出", "reenter": "重新纳入", "update": "修改"}
ASPECTS = (
    ("生活", "life"),
    ("学习", "study"),
    ("健康", "health"),
    ("安全", "safety"),
    ("心理", "mental"),
)


def _place_title(county: str, township: str | None, village: str | None) -> str:
    return f"{county}{township or ''}{village or ''}"


def case_file_report(
    db: Database, child_key: str, reveal: Reveal, today: date
) -> tuple[Report, str]:
    with db.reading() as session:
        child_id = pd.child_id_for_key(session, child_key)
        (row,) = pd.load_children(session, [child_id])
        pairings = pq.pairings_of(session, child_id)
        visits = pq.visits_of(session, child_id)
        assistance = pq.assistance_of(session, child_id)
        activities = pq.activities_of(session, child_id)
    changes = [
        (
            e.at.date().isoformat(),
            ACTIONS.get(e.action, e.action) + (f"{e.field}" if e.action == "update" else ""),
            e.old_value,
            e.new_value,
            e.actor,
            e.source,
        )
        for e in reversed(history(db, row.uid))
        if e.action in ("create", "exit", "reenter")
        or (e.action == "update" and e.field in HISTORY_FIELDS)
    ]
    visit_rows = []
    for _uid, *values in visits:
        v = dict(zip(pq.VISIT_COLUMNS, values, strict=True))
        situation = "；".join(f"{label}：{v[key]}" for label, key in ASPECTS if v[key])
        problems = "；".join(
            p
            for p in (
                f"监护：{v['guardianship_problems']}" if v["guardianship_problems"] else "",
                f"问题：{v['problems']}" if v["problems"] else "",
                f"帮扶：{v['help_given']}" if v["help_given"] else "",
            )
            if p
        )
        follow = v["follow_up"] or ""
        if v["next_visit_on"]:
            follow += f"（下次 {pd.day(v['next_visit_on'])}）"
        visit_rows.append(
            (
                pd.day(v["visited_on"]),
                v["way"],
                v["visitor_name"],
                v["people_met"],
                situation,
                problems,
                follow,
            )
        )
    total_value = sum((a[4] for a in assistance if a[4] is not None), start=0)
    code = make_code(row.uid, today)
    name = row.text("name")
    report = Report(
        title=f"儿童档案（一人一档）：{name}",
        subtitle=(
            f"{row.township} {row.village}    档案编号 {pd.file_number(row)}"
            f"    打印日期 {today.isoformat()}"
        ),
        running_title=f"{name} 的档案",
        code=f"编码 {code}",
        qr_value=qr_value(row.uid, code),
        printed_on=today.isoformat(),
        sections=(
            Section("一、基本情况", facts=pd.child_fact_pairs(row, reveal, today)),
            Section(
                "二、类别与状态变更",
                columns=(
                    ("日期", 58),
                    ("事项", 70),
                    ("原来", 110),
                    ("改为", 110),
                    ("经办人", 50),
                    ("来源", 84),
                ),
                rows=tuple(changes),
                empty_note="（没有记录到变更）",
                size=TABLE_SIZE,
            ),
            Section(
                "三、爱心妈妈结对",
                columns=(
                    ("爱心妈妈", 52),
                    ("身份", 70),
                    ("电话", 66),
                    ("方式", 44),
                    ("开始", 60),
                    ("结束", 60),
                    ("结束原因", 130),
                ),
                rows=tuple(
                    (n, ident, reveal.phone(phone), mode, pd.day(s), pd.day(e), reason)
                    for n, phone, ident, mode, s, e, reason in pairings
                ),
                empty_note="（尚未结对）",
                size=TABLE_SIZE,
            ),
            Section(
                f"四、走访记录（共 {len(visit_rows)} 次）",
                columns=(
                    ("日期", 58),
                    ("方式", 36),
                    ("走访人", 40),
                    ("见到", 40),
                    ("儿童情况", 160),
                    ("问题与帮扶", 90),
                    ("跟进", 58),
                ),
                rows=tuple(visit_rows),
                empty_note="（尚无走访记录）",
                size=TABLE_SIZE,
            ),
            Section(
                f"五、帮扶记录（共 {len(assistance)} 次）",
                columns=(
                    ("日期", 58),
                    ("项目", 60),
                    ("内容", 110),
                    ("数量", 36),
                    ("价值（元）", 50),
                    ("提供方", 84),
                    ("活动", 84),
                ),
                rows=tuple(
                    (pd.day(d), proj, content, pd.money(qty), pd.money(val), provider, act or "")
                    for d, proj, content, qty, val, provider, act in assistance
                ),
                empty_note="（尚无帮扶记录）",
                size=TABLE_SIZE,
                note=f"合计价值 {pd.money(total_value)} 元" if assistance else "",
            ),
            Section(
                f"六、参加活动（共 {len(activities)} 次）",
                columns=(("日期", 58), ("活动", 170), ("地点", 120), ("组织单位", 120)),
                rows=tuple(
                    (pd.day(on), title, place, organiser)
                    for on, title, place, organiser in activities
                ),
                empty_note="（尚未参加活动）",
                size=TABLE_SIZE,
            ),
        ),
        signatures=("儿童主任", "审核人"),
    )
    return report, row.uid


ROSTER_COLUMNS = (
    ("姓名", 40),
    ("性别", 22),
    ("出生日期", 54),
    ("公民身份号码", 92),
    ("乡镇", 44),
    ("村（社区）", 44),
    ("儿童类别", 80),
    ("关爱等级", 30),
    ("监护人", 38),
    ("关系", 30),
    ("监护人电话", 58),
    ("父亲状态", 40),
    ("母亲状态", 40),
    ("就读学校", 48),
    ("爱心妈妈", 40),
    ("上次走访", 54),
)


def roster_report(
    db: Database,
    county: str,
    reveal: Reveal,
    today: date,
    *,
    village: str | None = None,
    township: str | None = None,
) -> tuple[Report, list[str]]:
    with db.reading() as session:
        ids = pq.child_ids_in_area(session, village=village, township=township)
        if not ids:
            raise ServiceError(_nobody(village, township))
        rows = []
        for start in range(0, len(ids), 500):
            rows += pd.load_children(session, ids[start : start + 500])
    table = tuple(
        (
            r.text("name"),
            r.text("sex"),
            pd.day(r["birth_date"]),  # type: ignore[arg-type]
            reveal.id_number(r.text("id_number")),
            r.township,
            r.village,
            "、".join(r.categories),
            r.text("care_level"),
            r.text("guardian_name"),
            r.text("guardian_relation"),
            reveal.phone(r.text("guardian_phone")),
            r.text("father_status"),
            r.text("mother_status"),
            r.text("school"),
            "、".join(n for n, _ in r.volunteers),
            pd.day(r.last_visit[0]) if r.last_visit else "",
        )
        for r in rows
    )
    # A place named in the title needs no column of its own: room for the rest.
    dropped = {"乡镇"} if township or village else set()
    if village:
        dropped.add("村（社区）")
    keep = [i for i, (title, _) in enumerate(ROSTER_COLUMNS) if title not in dropped]
    columns = tuple(ROSTER_COLUMNS[i] for i in keep)
    table = tuple(tuple(row[i] for i in keep) for row in table)
    place = _place_title(county, township, village)
    report = Report(
        title=f"{place}留守儿童和困境儿童花名册",
        subtitle=f"在册 {len(rows)} 名    打印日期 {today.isoformat()}",
        sections=(Section("", columns=columns, rows=table, numbered=True, size=TABLE_SIZE),),
        printed_on=today.isoformat(),
        landscape=True,
        running_title=f"{place}花名册",
        signatures=("制表人", "审核人"),
    )
    return report, [r.uid for r in rows]


def _nobody(village: str | None, township: str | None) -> str:
    where = " ".join(p for p in (township, village) if p)
    return tr("{where}没有在册儿童。", where=where) if where else tr("台账里没有在册儿童。")


def due_report(
    db: Database, county: str, reveal: Reveal, query: DueQuery, volunteer_label: str = ""
) -> tuple[Report, list[str]]:
    """The list a DueQuery gives, on paper; volunteer_label names whose children they are
    when the query is one volunteer's (by uid), her name when it is by name."""
    found = due_children(db, **asdict(query))
    today = query.today
    volunteer = volunteer_label or query.volunteer
    if not found:
        raise ServiceError(tr("这段时间没有需要走访的儿童。"))
    overdue = sum(1 for d in found if d.days_overdue > 0)
    rows = tuple(
        (
            d.name,
            d.township,
            d.village,
            "、".join(d.categories),
            d.care_level,
            d.due.isoformat(),
            f"{d.days_overdue} 天" if d.days_overdue else "",
            pd.day(d.last_visit) if d.last_visit else "未走访",
            d.guardian_name,
            reveal.phone(d.guardian_phone),
            d.volunteer,
            "",
            "",
        )
        for d in found
    )
    if query.never_visited:
        span = "从未走访"
    elif query.overdue_only:
        span = "已逾期"
    elif query.within_days is None:
        span = "全部应访"
    else:
        span = f"{query.within_days} 天内应访（含逾期）"
    place = _place_title(county, query.township, query.village)
    report = Report(
        title=f"{place}待走访儿童名单" + (f"（爱心妈妈：{volunteer}）" if volunteer else ""),
        subtitle=f"{span}：共 {len(found)} 名，其中逾期 {overdue} 名    截至 {today.isoformat()}",
        sections=(
            Section(
                "",
                columns=(
                    ("姓名", 40),
                    ("乡镇", 44),
                    ("村（社区）", 46),
                    ("儿童类别", 92),
                    ("关爱等级", 30),
                    ("应访日期", 56),
                    ("逾期", 34),
                    ("上次走访", 56),
                    ("监护人", 40),
                    ("监护人电话", 60),
                    ("爱心妈妈", 46),
                    ("走访日期", 70),
                    ("走访人签字", 80),
                ),
                rows=rows,
                numbered=True,
                min_row_height=22.0,
                size=TABLE_SIZE,
            ),
        ),
        printed_on=today.isoformat(),
        landscape=True,
        running_title=f"{place}待走访儿童名单",
        signatures=("制表人",),
    )
    return report, [d.uid for d in found]


def sign_in_report(db: Database, activity_uid: str, today: date) -> tuple[Report, list[str]]:
    with db.reading() as session:
        key = activity_uid.strip()
        activity = pq.activity_by_uid(session, key) or pq.activity_by_uid(session, key.lower())
        if activity is None:
            raise NotFoundError(tr("找不到活动“{uid}”。", uid=activity_uid))
        activity_id, held_on, title, organiser, partners, place, _desc, goods = activity
        ids = pq.activity_child_ids(session, activity_id)
        children = pd.load_children(session, ids, with_visits=False)
        volunteers = pq.activity_volunteers(session, activity_id)
    blank = ("",) * 6
    child_rows = tuple(
        (
            r.text("name"),
            r.text("sex"),
            pd.age_text(r["birth_date"], held_on),  # type: ignore[arg-type]
            r.village,
            r.text("guardian_name"),
            "",
            "",
        )
        for r in children
    ) + tuple(("", "", "", "", "", "", "") for _ in range(5))
    facts = " ".join(
        p
        for p in (
            f"时间：{held_on.isoformat()}",
            f"地点：{place}" if place else "",
            f"组织：{organiser}" if organiser else "",
            f"协办：{partners}" if partners else "",
        )
        if p
    )
    sections = [
        Section(
            f"儿童签到（报名 {len(children)} 名）",
            columns=(
                ("姓名", 60),
                ("性别", 30),
                ("年龄", 30),
                ("村（社区）", 70),
                ("监护人", 60),
                ("签到（签字）", 120),
                ("领取物品 / 备注", 112),
            ),
            rows=child_rows,
            numbered=True,
            min_row_height=26.0,
        ),
        Section(
            f"爱心妈妈和志愿者签到（{len(volunteers)} 名）",
            columns=(("姓名", 60), ("工作单位", 150), ("签到（签字）", 140), ("备注", 132)),
            rows=tuple((n, unit, "", "") for n, _phone, unit in volunteers) + (blank[:4],) * 3,
            numbered=True,
            min_row_height=26.0,
        ),
    ]
    report = Report(
        title=f"{title} 签到表",
        subtitle=facts + (f"    发放：{goods}" if goods else ""),
        sections=tuple(sections),
        printed_on=today.isoformat(),
        running_title=f"{title} 签到表",
        signatures=("组织人", "记录人"),
    )
    return report, [r.uid for r in children]
