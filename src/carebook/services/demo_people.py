"""Synthetic names, places and phones for the demo county: plausible, consistent, invented."""

from __future__ import annotations

import random

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严武戴孔向汤单解"
)
GIVEN_BOY = "子浩宇轩俊杰涛鹏博文昊天明伟强磊辰睿泽阳毅豪诚一乐晨志刚建国"
GIVEN_GIRL = "子涵欣怡梓萱雨婷佳琪思雨晓丽娜静雅婷梦瑶诗琪欣悦可馨紫嫣若曦玉兰芳华"
GIVEN_ADULT_F = "秀英桂兰玉梅丽娟春花红霞晓燕美玲丽华金凤爱莲海燕彩霞"
GIVEN_ADULT_M = "建国志强永红国华德明卫东保平来福宝山爱民红军振华"
TOWNSHIPS = (
    "朝阳镇",
    "南燕竹镇",
    "宗艾镇",
    "平头镇",
    "解愁乡",
    "尹灵芝镇",
    "西洛镇",
    "松塔镇",
    "温家庄乡",
    "景尚乡",
    "马首乡",
    "羊头崖乡",
    "上湖乡",
    "平舒乡",
)
VILLAGE_STEMS = "东西南北上下前后大小"
VILLAGE_CORE = "王李张刘杨赵郭韩马段贾白石柳杏桃槐榆松河沟坪峪庄堡"
VILLAGE_SUFFIX = ("村", "庄村", "家庄村", "沟村", "坪村", "峪村", "堡村")
WORK_PLACES = (
    "太原市",
    "北京市",
    "天津市",
    "石家庄市",
    "郑州市",
    "西安市",
    "上海市",
    "深圳市",
    "广州市",
    "苏州市",
    "杭州市",
    "鄂尔多斯市",
)
SCHOOLS = ("中心小学", "第一中学", "第二中学", "中心幼儿园", "寄宿制小学")
WORK_UNITS = (
    "镇妇联",
    "县妇联",
    "镇政府",
    "中心小学",
    "卫生院",
    "村委会",
    "县教育局",
    "县医院",
    "信用社",
    "爱心企业",
)


def person_name(rng: random.Random, sex: str, *, adult: bool = False, surname: str = "") -> str:
    surname = surname or rng.choice(SURNAMES)
    pool = (
        (GIVEN_ADULT_F if sex == "女" else GIVEN_ADULT_M)
        if adult
        else (GIVEN_GIRL if sex == "女" else GIVEN_BOY)
    )
    if rng.random() < 0.3:
        return surname + rng.choice(pool)
    return surname + rng.choice(pool) + rng.choice(pool)


def mobile(rng: random.Random) -> str:
    return (
        rng.choice(("13", "15", "18", "17"))
        + str(rng.randint(0, 9))
        + f"{rng.randrange(10**8):08d}"
    )


def village_names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = rng.choice(VILLAGE_STEMS) + rng.choice(VILLAGE_CORE) + rng.choice(VILLAGE_SUFFIX)
        if rng.random() < 0.4:
            name = rng.choice(VILLAGE_CORE) + rng.choice(VILLAGE_SUFFIX)
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names
