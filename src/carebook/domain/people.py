"""Choice lists for what is recorded about children, families and volunteers, and sex reading."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from carebook.domain.errors import DomainError
from carebook.i18n import tr

SEXES = ("男", "女")
PARENT_STATUSES = (
    "在家",
    "外出务工",
    "死亡",
    "失踪",
    "重残",
    "重病",
    "服刑在押",
    "强制隔离戒毒",
    "失联",
    "其他",
)
GUARDIAN_RELATIONS = (
    "父亲",
    "母亲",
    "祖父",
    "祖母",
    "外祖父",
    "外祖母",
    "兄姐",
    "叔伯",
    "姑姑",
    "舅舅",
    "姨妈",
    "其他亲属",
    "邻居",
    "其他",
)
GUARDIANSHIP_TYPES = ("父母监护", "隔代监护", "亲属监护", "委托监护", "无人监护")
GUARDIANSHIP_ASSESSMENTS = ("较好", "一般", "差")
DISABILITY_TYPES = ("视力", "听力", "言语", "肢体", "智力", "精神", "多重")
DISABILITY_GRADES = ("一级", "二级", "三级", "四级")
VISIT_WAYS = ("入户走访", "电话联系", "到校走访", "视频", "集体活动", "其他")
VOLUNTEER_IDENTITIES = (
    "妇联干部",
    "妇联执委",
    "三八红旗手",
    "巾帼建功标兵",
    "女企业家",
    "志愿者",
    "其他",
)
REGISTER_STATUSES = ("在册", "退出")
EXIT_REASONS = ("年满16周岁", "年满18周岁", "父母返乡", "迁出", "死亡", "其他")
SUPPORT_KINDS = (
    "低保",
    "特困供养",
    "临时救助",
    "医疗救助",
    "孤儿津贴",
    "事实无人抚养儿童生活补贴",
    "残疾儿童康复救助",
)
ASSISTANCE_PROJECTS = ("春蕾计划", "公益玫瑰", "小候鸟", "爱心妈妈结对", "其他")
PAIRING_MODES = ("一对一", "多对一", "一对多", "团队")

_SEX_SPELLINGS = {
    "男": "男",
    "男性": "男",
    "男孩": "男",
    "男童": "男",
    "m": "男",
    "male": "男",
    "1": "男",
    "女": "女",
    "女性": "女",
    "女孩": "女",
    "女童": "女",
    "f": "女",
    "female": "女",
    "2": "女",
}


def _fold(value: object) -> str:
    return _fold_text(str(value))


@lru_cache(maxsize=4096)  # a column repeats a few spellings (男, 女, 男性 ...)
def _fold_text(value: str) -> str:
    text = unicodedata.normalize("NFKC", value).strip().lower()
    return re.sub(r"\s+", "", text)


def canonical_sex(text: object) -> str:
    """男 or 女 from 男/女/男性/女性/M/F/1/2 (1 and 2 as in the national standard GB/T 2261.1)."""
    if text is None:
        raise DomainError(tr("没有填写性别。"))
    if isinstance(text, bool):
        raise DomainError(tr("“{value}”不是有效的性别。", value=text))
    # A number cell holds 1 or 2 as 1.0 or 2.0.
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    folded = _fold(text)
    if not folded:
        raise DomainError(tr("没有填写性别。"))
    found = _SEX_SPELLINGS.get(folded)
    if found is None:
        message = tr(
            "“{value}”不是有效的性别，请填写“{male}”或“{female}”。",
            value=str(text).strip(),
            male=SEXES[0],
            female=SEXES[1],
        )
        raise DomainError(message)
    return found


def canonical_choice(text: object, choices: Sequence[str], *, field: str) -> str:
    """One of `choices`, ignoring spaces and full-width forms; `field` names the column."""
    folded = _fold(text) if text is not None else ""
    if not folded:
        raise DomainError(tr("没有填写{field}。", field=field))
    for choice in choices:
        if _fold(choice) == folded:
            return choice
    raise DomainError(
        tr(
            "“{value}”不是有效的{field}。可填写：{choices}。",
            value=str(text).strip(),
            field=field,
            choices="、".join(choices),
        )
    )
