"""`carebook demo`: a realistic synthetic county, built in chunks so 100,000 children stay quick."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from carebook.domain.dates import add_months
from carebook.domain.id_numbers import make_id
from carebook.domain.records import ChildFacts
from carebook.domain.schedule import interval_for, next_due
from carebook.i18n import tr
from carebook.services import demo_people as people
from carebook.services.audit import Origin, entry
from carebook.services.children import child_search_text
from carebook.services.name_keys import pinyin_keys
from carebook.services.progress import Job, Progress
from carebook.storage import audit as audit_store
from carebook.storage.bulk import insert_rows, next_id
from carebook.storage.database import Database

REGION = "140725"
CHUNK = 5000
LIFE = ("生活正常，衣食有保障", "家中整洁，饮食规律", "祖辈照料尚可", "生活较困难，需关注")
STUDY = ("成绩中等，按时上学", "学习认真，成绩较好", "偏科，数学较弱", "有厌学情绪")
HEALTH = ("身体健康", "偶有感冒", "视力下降，已提醒检查", "长期服药")
SAFETY = ("已讲解防溺水知识", "已检查家中用电安全", "提醒上下学交通安全", "无安全隐患")
MENTAL = ("性格开朗", "较内向，想念父母", "情绪稳定", "与同学相处融洽")
VISIT_WAYS = ("入户走访", "入户走访", "入户走访", "电话联系", "到校走访", "视频")
IDENTITIES = ("妇联干部", "妇联执委", "三八红旗手", "巾帼建功标兵", "女企业家", "志愿者", "志愿者")
PROJECTS = (
    ("春蕾计划", "助学金", 500),
    ("小候鸟", "暑期团聚交通补贴", 300),
    ("爱心妈妈结对", "学习用品", 80),
    ("其他", "冬衣", 150),
)


@dataclass(frozen=True)
class DemoSummary:
    children: int
    volunteers: int
    pairings: int
    visits: int
    assistance: int
    activities: int


class _Ids:
    def __init__(self, session, tables: tuple[str, ...]) -> None:
        self._next = {t: next_id(session, t) for t in tables}

    def take(self, table: str) -> int:
        value = self._next[table]
        self._next[table] = value + 1
        return value


def build_demo(
    db: Database, *, children: int = 300, seed: int = 1, today: date | None = None
) -> Job:
    """Fill the database with one synthetic county; yields progress, returns a DemoSummary."""
    today = today or date.today()
    rng = random.Random(seed)
    now = datetime.now()
    stamp = {"created_at": now, "updated_at": now, "deleted_at": None}
    counts = dict.fromkeys(("volunteers", "pairings", "visits", "assistance", "activities"), 0)
    with db.transaction() as session:
        ids = _Ids(
            session,
            ("areas", "children", "volunteers", "pairings", "visits", "assistance", "activities"),
        )
        villages = _areas(session, rng, ids, children)
        yield Progress(0, children, tr("建立乡镇和村"))
        volunteers = _volunteers(session, rng, ids, villages, max(12, children // 3), stamp)
        counts["volunteers"] = len(volunteers)
        used_ids: set[str] = set()
        made = 0
        child_pool: list[tuple[int, int, date]] = []
        while made < children:
            size = min(CHUNK, children - made)
            batch = _child_batch(rng, ids, villages, size, today, used_ids, stamp)
            # Care rows first: they fill in each child's last visit and next due date.
            care = _care_rows(rng, ids, batch, volunteers, today, stamp)
            insert_rows(session, "children", [row for row, _ in batch])
            insert_rows(
                session,
                "child_categories",
                [
                    {"child_id": row["id"], "category": c, "position": i}
                    for row, facts in batch
                    for i, c in enumerate(facts.categories)
                ],
            )
            for table, rows in care.items():
                insert_rows(session, table, rows)
                counts[table] += len(rows)
            child_pool.extend((row["id"], row["village_id"], row["birth_date"]) for row, _ in batch)
            made += size
            yield Progress(made, children, tr("已生成 {made} 名儿童", made=made))
        counts["activities"], extra = _activities(session, rng, ids, child_pool, today, stamp)
        counts["assistance"] += extra
        audit_store.add_entries(
            session,
            [
                entry(
                    Origin("demo", "示例数据"),
                    "create",
                    "database",
                    "",
                    new=f"示例县 {children} 名儿童",
                )
            ],
        )
    return DemoSummary(children=children, **counts)


def _areas(session, rng, ids: _Ids, children: int) -> list[tuple[int, str, str]]:
    n_villages = max(6, min(400, children // 350 + 5))
    n_towns = max(2, min(len(people.TOWNSHIPS), n_villages // 8 + 1))
    county = ids.take("areas")
    rows = [{"id": county, "level": "county", "name": "寿阳县", "code": REGION, "parent_id": None}]
    villages: list[tuple[int, str, str]] = []
    names = people.village_names(rng, n_villages)
    for t in range(n_towns):
        town_id = ids.take("areas")
        town = people.TOWNSHIPS[t]
        rows.append(
            {"id": town_id, "level": "township", "name": town, "code": "", "parent_id": county}
        )
        for name in names[t::n_towns]:
            vid = ids.take("areas")
            rows.append(
                {"id": vid, "level": "village", "name": name, "code": "", "parent_id": town_id}
            )
            villages.append((vid, town, name))
    insert_rows(session, "areas", rows)
    return villages


def _volunteers(session, rng, ids: _Ids, villages, count: int, stamp) -> list[tuple[int, str, int]]:
    rows, out = [], []
    for _ in range(count):
        vid, town, _village = rng.choice(villages)
        name = people.person_name(rng, "女", adult=True)
        full, initials = pinyin_keys(name)
        row_id = ids.take("volunteers")
        rows.append(
            {
                "id": row_id,
                "uid": uuid.uuid4().hex,
                "name": name,
                "name_pinyin": full,
                "name_initials": initials,
                "sex": "女",
                "phone": people.mobile(rng),
                "identities": "、".join(sorted(set(rng.sample(IDENTITIES, rng.randint(1, 2))))),
                "work_unit": town + rng.choice(people.WORK_UNITS),
                "area_id": vid,
                "skills": rng.choice(("", "学业辅导", "心理疏导", "手工", "医疗护理")),
                "team_name": "",
                "status": "在岗" if rng.random() > 0.05 else "停用",
                "notes": "",
                **stamp,
            }
        )
        out.append((row_id, name, vid))
    insert_rows(session, "volunteers", rows)
    return out


def _categories(rng, age: int) -> tuple[str, ...]:
    cats: list[str] = []
    if age < 16 and rng.random() < 0.72:
        cats.append("农村留守儿童")
    roll = rng.random()
    # Orphans and children nobody raises have no parent working away: not 留守 as well.
    if roll < 0.04:
        cats = ["孤儿"]
    elif roll < 0.10:
        cats = ["事实无人抚养儿童"]
    elif roll < 0.30 or not cats:
        cats.append(
            rng.choice(("困境儿童（重病重残）", "困境儿童（家庭经济困难）", "困境儿童（监护缺失）"))
        )
    return tuple(cats)


def _family(rng, facts: dict, cats: tuple[str, ...], surname: str) -> None:
    father_status, mother_status = "在家", "在家"
    if "农村留守儿童" in cats:
        father_status = "外出务工"
        mother_status = rng.choice(("外出务工", "外出务工", "重病", "在家"))
    if "孤儿" in cats:
        father_status, mother_status = "死亡", "死亡"
    elif "事实无人抚养儿童" in cats:
        father_status = rng.choice(("服刑在押", "死亡", "重残"))
        mother_status = rng.choice(("失联", "死亡", "重病"))
    facts.update(
        father_name=people.person_name(rng, "男", adult=True, surname=surname),
        father_status=father_status,
        father_work_place=rng.choice(people.WORK_PLACES) if father_status == "外出务工" else "",
        father_phone=people.mobile(rng) if father_status in ("外出务工", "在家") else "",
        mother_name=people.person_name(rng, "女", adult=True),
        mother_status=mother_status,
        mother_work_place=rng.choice(people.WORK_PLACES) if mother_status == "外出务工" else "",
        mother_phone=people.mobile(rng) if mother_status in ("外出务工", "在家") else "",
    )
    if mother_status == "在家":
        guardian = (facts["mother_name"], "母亲", "父母监护")
    else:
        relation = rng.choice(("祖父", "祖母", "祖母", "外祖母", "外祖父"))
        sex = "男" if relation.endswith("父") else "女"
        same = surname if relation in ("祖父",) else ""
        guardian = (people.person_name(rng, sex, adult=True, surname=same), relation, "隔代监护")
    facts.update(
        guardian_name=guardian[0],
        guardian_relation=guardian[1],
        guardianship_type=guardian[2],
        guardian_phone=people.mobile(rng),
        guardianship_assessment=rng.choice(("较好", "较好", "一般", "差")),
        support=rng.choice(("", "", "低保", "特困供养", "临时救助"))
        if "农村留守儿童" not in cats
        else "",
    )


def _child_batch(rng, ids, villages, size, today, used_ids, stamp) -> list[tuple[dict, ChildFacts]]:
    batch = []
    for _ in range(size):
        vid, town, village = rng.choice(villages)
        sex = rng.choice("男女")
        birth = today - timedelta(days=rng.randint(200, 17 * 365 + 300))
        number = ""
        while not number or number in used_ids:
            seq = rng.randrange(0, 500) * 2 + (1 if sex == "男" else 0)
            number = make_id(REGION, birth, seq)
        used_ids.add(number)
        age = (today - birth).days // 365
        cats = _categories(rng, age)
        surname = rng.choice(people.SURNAMES)
        name = people.person_name(rng, sex, surname=surname)
        values: dict = {
            "name": name,
            "sex": sex,
            "ethnicity": "汉族",
            "id_number": number,
            "birth_date": birth,
            "township": town,
            "village": village,
            "household_address": f"山西省寿阳县{town}{village}",
            "current_address": f"{town}{village}{rng.randint(1, 200)}号",
            "school": "" if age < 3 else town + rng.choice(people.SCHOOLS),
            "grade": "" if age < 7 else f"{min(age - 6, 9)}年级",
            "boarding": age >= 10 and rng.random() < 0.3,
            "health": rng.choice(("健康", "健康", "健康", "良好", "体弱")),
            "categories": cats,
            "care_level": "重点"
            if set(cats) & {"孤儿", "事实无人抚养儿童", "困境儿童（重病重残）"}
            or rng.random() < 0.1
            else "一般",
        }
        if "困境儿童（重病重残）" in cats:
            values.update(
                disability_type=rng.choice(("肢体", "智力", "听力", "视力", "多重")),
                disability_grade=rng.choice(("一级", "二级", "三级")),
            )
        _family(rng, values, cats, surname)
        facts = ChildFacts(**values)
        full, initials = pinyin_keys(name)
        registered = max(birth + timedelta(days=30), today - timedelta(days=rng.randint(3, 1200)))
        exited = rng.random() < 0.05
        row = {k: v for k, v in values.items() if k not in ("township", "village", "categories")}
        row.update(
            id=ids.take("children"),
            uid=uuid.uuid4().hex,
            village_id=vid,
            name_pinyin=full,
            name_initials=initials,
            search_text=child_search_text(facts, full, initials),
            registered_on=registered,
            status="退出" if exited else "在册",
            status_date=today - timedelta(days=rng.randint(1, 300)) if exited else None,
            status_reason=rng.choice(("父母返乡", "迁出", "年满16周岁")) if exited else "",
            notes="",
            last_visit_on=None,
            next_due_on=None,
            father_id_number="",
            mother_id_number="",
            guardian_id_number="",
            guardian_health="",
            help_measures="",
            **stamp,
        )
        for key in ("disability_type", "disability_grade", "support"):
            row.setdefault(key, "")
        batch.append((row, facts))
    return batch


def _care_rows(rng, ids, batch, volunteers, today, stamp) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {"pairings": [], "visits": [], "assistance": []}
    for row, facts in batch:
        paired = None
        if row["status"] == "在册" and rng.random() < 0.88:
            vol_id, vol_name, _ = rng.choice(volunteers)
            started = row["registered_on"] + timedelta(days=rng.randint(1, 60))
            if started <= today:
                paired = (vol_id, vol_name)
                out["pairings"].append(
                    {
                        "id": ids.take("pairings"),
                        "uid": uuid.uuid4().hex,
                        "child_id": row["id"],
                        "volunteer_id": vol_id,
                        "mode": "一对一",
                        "started_on": started,
                        "ended_on": None,
                        "end_reason": "",
                        "renewed_from_id": None,
                        "notes": "",
                        **stamp,
                    }
                )
        last = _visits(rng, ids, row, facts, paired, today, stamp, out["visits"])
        row["last_visit_on"] = last
        if row["status"] == "在册":
            row["next_due_on"] = next_due(
                registered_on=row["registered_on"],
                last_visit=last,
                categories=facts.categories,
                care_level=facts.care_level,
            )
        if rng.random() < 0.3:
            project, content, value = rng.choice(PROJECTS)
            if project == "春蕾计划" and facts.sex != "女":
                # 春蕾计划 is for girls: a boy's grant is filed under 其他 (same sum, same draw).
                project = "其他"
            out["assistance"].append(
                {
                    "id": ids.take("assistance"),
                    "uid": uuid.uuid4().hex,
                    "child_id": row["id"],
                    "given_on": today - timedelta(days=rng.randint(1, 700)),
                    "project": project,
                    "content": content,
                    "quantity": 1,
                    "value_yuan": value,
                    "provider": rng.choice(("县妇联", "镇政府", "爱心企业", "县民政局")),
                    "activity_id": None,
                    "notes": "",
                    **stamp,
                }
            )
    return out


def _visits(rng, ids, row, facts, paired, today, stamp, rows: list[dict]) -> date | None:
    months = interval_for(facts.categories, facts.care_level)
    start = max(row["registered_on"], today - timedelta(days=730))
    visit = start + timedelta(days=rng.randint(2, 9))
    end = row["status_date"] if row["status"] == "退出" else today
    if rng.random() < 0.12:  # a child the village has lost track of: overdue today
        end = end - timedelta(days=rng.randint(40, 200))
    last = None
    while visit <= end:
        rows.append(
            {
                "id": ids.take("visits"),
                "uid": uuid.uuid4().hex,
                "child_id": row["id"],
                "visited_on": visit,
                "way": rng.choice(VISIT_WAYS),
                "visitor_name": paired[1] if paired and rng.random() < 0.5 else "儿童主任",
                "volunteer_id": paired[0] if paired else None,
                "people_met": rng.choice(("儿童、监护人", "儿童", "监护人", "儿童、老师")),
                "life": rng.choice(LIFE),
                "study": rng.choice(STUDY),
                "health": rng.choice(HEALTH),
                "safety": rng.choice(SAFETY),
                "mental": rng.choice(MENTAL),
                "guardianship_problems": "",
                "problems": "",
                "help_given": "",
                "follow_up": "",
                "next_visit_on": add_months(visit, months),
                "family_visit_uid": "",
                "notes": "",
                **stamp,
            }
        )
        last = visit
        visit = add_months(visit, months) - timedelta(days=rng.randint(0, 6))
    return last


def _activities(session, rng, ids, pool, today, stamp) -> tuple[int, int]:
    count = max(3, len(pool) // 2000)
    acts, links, gifts = [], [], []
    for n in range(count):
        act_id = ids.take("activities")
        held = today - timedelta(days=rng.randint(5, 700))
        title, goods, value = rng.choice(
            (
                ("六一儿童节关爱活动", "学习用品", 60),
                ("防溺水安全讲座", "", 0),
                ("冬季送温暖", "棉被", 150),
                ("暑期课堂", "图书", 40),
            )
        )
        acts.append(
            {
                "id": act_id,
                "uid": uuid.uuid4().hex,
                "held_on": held,
                "title": title,
                "organiser": "县妇联",
                "partners": "镇政府",
                "place": "中心小学",
                "description": f"第{n + 1}次活动",
                "goods": goods,
                **stamp,
            }
        )
        for child_id, _, _ in rng.sample(pool, min(len(pool), rng.randint(20, 80))):
            links.append({"activity_id": act_id, "child_id": child_id})
            if goods:
                gifts.append(
                    {
                        "id": ids.take("assistance"),
                        "uid": uuid.uuid4().hex,
                        "child_id": child_id,
                        "given_on": held,
                        "project": "其他",
                        "content": goods,
                        "quantity": 1,
                        "value_yuan": value,
                        "provider": "县妇联",
                        "activity_id": act_id,
                        "notes": "",
                        **stamp,
                    }
                )
    insert_rows(session, "activities", acts)
    insert_rows(session, "activity_children", links)
    insert_rows(session, "assistance", gifts)
    return count, len(gifts)
