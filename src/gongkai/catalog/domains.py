"""The 26 State-Council pilot domains (domain-facts §1) with the aliases real catalogs use.

财政预决算 is one of the 26 even where a plan lists 25: the 2017 list merged 扶贫救灾,
the 2019 guidelines split 扶贫 and 救灾.
"""

from typing import NamedTuple


class DomainSpec(NamedTuple):
    code: str
    name: str
    aliases: tuple[str, ...]
    issuer: str


STANDARD_DOMAINS: tuple[DomainSpec, ...] = (
    DomainSpec("urban_planning", "城乡规划", ("国土空间规划", "自然资源", "规划"), "自然资源部"),
    DomainSpec(
        "land_acquisition",
        "征地补偿",
        ("农村集体土地征收", "征收土地信息", "农村集体土地", "征地信息", "土地征收"),
        "自然资源部",
    ),
    DomainSpec("major_projects", "重大建设项目", ("重大建设项目批准和实施",), "国家发展改革委"),
    DomainSpec("public_resources_trading", "公共资源交易", ("公共资源配置",), "国家发展改革委"),
    DomainSpec(
        "budget", "财政预决算", ("财政预算决算", "财政预算、决算", "预决算", "财政"), "财政部"
    ),
    DomainSpec("work_safety", "安全生产", ("安全生产监管",), "应急管理部"),
    DomainSpec(
        "disaster_relief", "救灾", ("扶贫救灾", "自然灾害救助", "防灾减灾救灾"), "应急管理部"
    ),
    DomainSpec("tax", "税收管理", ("税务", "税收"), "国家税务总局"),
    DomainSpec(
        "housing_expropriation",
        "国有土地上房屋征收与补偿",
        ("国有土地上房屋征收", "房屋征收与补偿", "拆迁安置", "房屋征收", "征收与补偿"),
        "住房和城乡建设部",
    ),
    DomainSpec("affordable_housing", "保障性住房", ("保障房", "住房保障"), "住房和城乡建设部"),
    DomainSpec("rural_housing_renovation", "农村危房改造", ("危房改造",), "住房和城乡建设部"),
    DomainSpec("municipal_services", "市政服务", ("市政公用", "市政"), "住房和城乡建设部"),
    DomainSpec(
        "urban_law_enforcement",
        "城市综合执法",
        ("城市管理综合执法", "城管执法", "综合行政执法", "城市管理"),
        "住房和城乡建设部",
    ),
    DomainSpec("ecology", "生态环境", ("环境保护", "环保"), "生态环境部"),
    DomainSpec("public_culture", "公共文化服务", ("公共文化", "文化服务"), "文化和旅游部"),
    DomainSpec("public_legal", "公共法律服务", ("公共法律", "法律服务"), "司法部"),
    DomainSpec("poverty_alleviation", "扶贫", ("乡村振兴", "扶贫开发", "脱贫攻坚"), "国务院扶贫办"),
    DomainSpec(
        "food_drug", "食品药品监管", ("食品药品监督管理", "食品药品", "市场监管"), "市场监管总局"
    ),
    DomainSpec("employment", "就业", ("就业创业", "促进就业"), "人力资源社会保障部"),
    DomainSpec("social_insurance", "社会保险", ("社保",), "人力资源社会保障部"),
    DomainSpec("social_assistance", "社会救助", ("低保", "最低生活保障"), "民政部"),
    DomainSpec("elderly_care", "养老服务", ("养老",), "民政部"),
    DomainSpec("household_registration", "户籍管理", ("户政", "户口"), "公安部"),
    DomainSpec("agri_subsidies", "涉农补贴", ("惠农补贴", "农业补贴"), "财政部"),
    DomainSpec("compulsory_education", "义务教育", ("教育",), "教育部"),
    DomainSpec("health", "卫生健康", ("医疗卫生", "卫生计生", "卫健"), "国家卫生健康委"),
)
