"""The demo zone: a fictional development zone with realistic departments.

Codes in the 99xxxx range are not used by any real division, so demo data can never
be mistaken for (or collide with) a real district's codes.
"""

NATION = ("000000", "中华人民共和国", "national", None)
DIVISIONS = [
    ("990000", "示范省", "province", "000000"),
    ("990100", "示范市", "city", "990000"),
    ("990171", "示范经济开发区", "county", "990100"),
    ("990171001000", "东湖街道", "township", "990171"),
    ("990171002000", "西山街道", "township", "990171"),
    ("990171001001", "东湖社区居民委员会", "village", "990171001000"),
    ("990171002001", "西山村民委员会", "village", "990171002000"),
]

# (code, name, kind, division, domains it compiles catalogs for)
AGENCIES = [
    ("990171-bgs", "示范经济开发区管委会党政办公室", "department", "990171", []),
    ("990171-fgj", "示范经济开发区发展和改革局", "department", "990171", ["major_projects"]),
    (
        "990171-ggzy",
        "示范经济开发区公共资源交易中心",
        "department",
        "990171",
        ["public_resources_trading"],
    ),
    ("990171-czj", "示范经济开发区财政局", "department", "990171", ["budget"]),
    (
        "990171-zrzy",
        "示范经济开发区自然资源和规划局",
        "department",
        "990171",
        ["urban_planning", "land_acquisition"],
    ),
    (
        "990171-zjj",
        "示范经济开发区住房和城乡建设局",
        "department",
        "990171",
        ["housing_expropriation", "affordable_housing", "rural_housing_renovation"],
    ),
    ("990171-cgj", "示范经济开发区城市管理局", "department", "990171", ["municipal_services"]),
    (
        "990171-zfj",
        "示范经济开发区综合行政执法局",
        "department",
        "990171",
        ["urban_law_enforcement"],
    ),
    (
        "990171-yjj",
        "示范经济开发区应急管理局",
        "department",
        "990171",
        ["work_safety", "disaster_relief"],
    ),
    ("990171-swj", "国家税务总局示范经济开发区税务局", "resident_office", "990171", ["tax"]),
    ("990171-sthj", "示范市生态环境局开发区分局", "resident_office", "990171", ["ecology"]),
    ("990171-wlj", "示范经济开发区文化旅游体育局", "department", "990171", ["public_culture"]),
    ("990171-sfj", "示范经济开发区司法局", "department", "990171", ["public_legal"]),
    (
        "990171-nyj",
        "示范经济开发区农业农村局",
        "department",
        "990171",
        ["poverty_alleviation", "agri_subsidies"],
    ),
    ("990171-scj", "示范经济开发区市场监督管理局", "department", "990171", ["food_drug"]),
    (
        "990171-rsj",
        "示范经济开发区人力资源和社会保障局",
        "department",
        "990171",
        ["employment", "social_insurance"],
    ),
    (
        "990171-mzj",
        "示范经济开发区民政局",
        "department",
        "990171",
        ["social_assistance", "elderly_care"],
    ),
    (
        "990171-gaj",
        "示范市公安局开发区分局",
        "resident_office",
        "990171",
        ["household_registration"],
    ),
    ("990171-jyj", "示范经济开发区教育局", "department", "990171", ["compulsory_education"]),
    ("990171-wjj", "示范经济开发区卫生健康局", "department", "990171", ["health"]),
    (
        "990171-dh",
        "示范经济开发区东湖街道办事处",
        "township",
        "990171001000",
        ["social_assistance", "elderly_care", "budget"],
    ),
    (
        "990171-xs",
        "示范经济开发区西山街道办事处",
        "township",
        "990171002000",
        ["social_assistance", "agri_subsidies", "budget"],
    ),
    ("990171-dhsq", "东湖社区居民委员会", "committee", "990171001001", []),
    ("990171-xscw", "西山村民委员会", "committee", "990171002001", []),
]
