"""Words and templates for the demo records: per domain, per agency and per kind of record.

Everything here is fictional (the 99xxxx zone, its streets, companies and residents); the
laws and regulations named are real, so the texts read like the ones a county publishes.
Names of residents are made up from common surnames and given names; no ID numbers.
"""

from __future__ import annotations

import datetime as dt
import random
from html import escape

ZONE = "示范经济开发区"

# Agency code → the prefix of its 文号 (示开民发〔2026〕3号, 示开民规〔2026〕1号 …).
DOC_PREFIX = {
    "990171-bgs": "示开管",
    "990171-fgj": "示开发改",
    "990171-ggzy": "示开公资",
    "990171-czj": "示开财",
    "990171-zrzy": "示开自然资",
    "990171-zjj": "示开住建",
    "990171-cgj": "示开城管",
    "990171-zfj": "示开综执",
    "990171-yjj": "示开应急",
    "990171-swj": "示开税",
    "990171-sthj": "示环开",
    "990171-wlj": "示开文旅体",
    "990171-sfj": "示开司",
    "990171-nyj": "示开农",
    "990171-scj": "示开市监",
    "990171-rsj": "示开人社",
    "990171-mzj": "示开民",
    "990171-gaj": "示公开",
    "990171-jyj": "示开教",
    "990171-wjj": "示开卫健",
    "990171-dh": "东湖办",
    "990171-xs": "西山办",
}

# Domain → (主题分类, Art. 20 categories, subjects for titles, the law texts cite).
DOMAINS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...], str]] = {
    "urban_planning": (
        "land_energy",
        ("plans",),
        ("国土空间规划", "控制性详细规划", "村庄规划"),
        "《中华人民共和国城乡规划法》",
    ),
    "land_acquisition": (
        "land_energy",
        (),
        ("征收土地补偿安置", "被征地农民社会保障", "地上附着物和青苗补偿"),
        "《中华人民共和国土地管理法》",
    ),
    "major_projects": (
        "economy",
        ("major_projects",),
        ("政府投资项目", "重大项目建设", "项目审批服务"),
        "《政府投资条例》",
    ),
    "public_resources_trading": (
        "finance",
        ("procurement",),
        ("政府采购", "工程建设项目招标投标", "公共资源交易"),
        "《中华人民共和国政府采购法》",
    ),
    "budget": (
        "finance",
        ("budget",),
        ("预算管理", "预算绩效管理", "“三公”经费管理"),
        "《中华人民共和国预算法》",
    ),
    "work_safety": (
        "market_safety",
        ("supervision",),
        ("安全生产", "危险化学品安全", "企业安全生产标准化"),
        "《中华人民共和国安全生产法》",
    ),
    "disaster_relief": (
        "civil_affairs",
        ("emergencies",),
        ("自然灾害救助", "防汛抗旱", "灾后恢复重建"),
        "《自然灾害救助条例》",
    ),
    "tax": (
        "finance",
        (),
        ("小微企业税费优惠", "个人所得税综合所得汇算清缴", "增值税留抵退税"),
        "《中华人民共和国税收征收管理法》",
    ),
    "housing_expropriation": (
        "urban_environment",
        (),
        ("国有土地上房屋征收", "房屋征收补偿", "城市更新"),
        "《国有土地上房屋征收与补偿条例》",
    ),
    "affordable_housing": (
        "urban_environment",
        ("livelihood",),
        ("公共租赁住房", "保障性租赁住房", "城镇老旧小区改造"),
        "《公共租赁住房管理办法》",
    ),
    "rural_housing_renovation": (
        "urban_environment",
        ("livelihood",),
        ("农村危房改造", "农房抗震改造", "农村低收入群体住房安全保障"),
        "《中华人民共和国乡村振兴促进法》",
    ),
    "municipal_services": (
        "urban_environment",
        (),
        ("城镇燃气安全", "城市道路挖掘", "城市供水排水"),
        "《城镇燃气管理条例》",
    ),
    "urban_law_enforcement": (
        "urban_environment",
        (),
        ("市容环境卫生", "违法建设治理", "城市绿化"),
        "《城市市容和环境卫生管理条例》",
    ),
    "ecology": (
        "urban_environment",
        ("supervision",),
        ("建设项目环境影响评价", "大气污染防治", "排污许可"),
        "《中华人民共和国环境保护法》",
    ),
    "public_culture": (
        "culture_media",
        (),
        ("公共文化服务", "文化市场管理", "文物保护"),
        "《中华人民共和国公共文化服务保障法》",
    ),
    "public_legal": (
        "public_security",
        (),
        ("公共法律服务", "法治宣传教育", "人民调解"),
        "《中华人民共和国法律援助法》",
    ),
    "poverty_alleviation": (
        "civil_affairs",
        ("livelihood",),
        ("巩固拓展脱贫攻坚成果", "防止返贫动态监测", "衔接推进乡村振兴"),
        "《中华人民共和国乡村振兴促进法》",
    ),
    "food_drug": (
        "market_safety",
        ("supervision",),
        ("食品安全", "药品零售", "校园食品安全"),
        "《中华人民共和国食品安全法》",
    ),
    "employment": (
        "labour_personnel",
        ("livelihood",),
        ("稳就业", "职业技能培训", "创业担保贷款"),
        "《中华人民共和国就业促进法》",
    ),
    "social_insurance": (
        "labour_personnel",
        ("livelihood",),
        ("城乡居民基本养老保险", "工伤保险", "社会保险参保扩面"),
        "《中华人民共和国社会保险法》",
    ),
    "social_assistance": (
        "civil_affairs",
        ("livelihood",),
        ("最低生活保障", "临时救助", "特困人员救助供养"),
        "《社会救助暂行办法》",
    ),
    "elderly_care": (
        "civil_affairs",
        ("livelihood",),
        ("居家社区养老服务", "养老机构管理", "高龄津贴发放"),
        "《中华人民共和国老年人权益保障法》",
    ),
    "household_registration": (
        "public_security",
        (),
        ("户籍管理", "户口迁移", "居住证办理"),
        "《中华人民共和国户口登记条例》",
    ),
    "agri_subsidies": (
        "agriculture",
        ("livelihood",),
        ("农机购置与应用补贴", "耕地地力保护补贴", "高素质农民培育"),
        "《中华人民共和国农业法》",
    ),
    "compulsory_education": (
        "science_education",
        ("livelihood",),
        ("义务教育招生入学", "学生资助", "课后服务"),
        "《中华人民共和国义务教育法》",
    ),
    "health": (
        "health_sports",
        ("livelihood",),
        ("基本公共卫生服务", "医疗机构管理", "家庭医生签约服务"),
        "《中华人民共和国基本医疗卫生与健康促进法》",
    ),
}
DEFAULT_DOMAIN = ("general", (), ("政务公开",), "《中华人民共和国政府信息公开条例》")

# Domain → indicators of its statistics: (name, unit, low, high).
INDICATORS: dict[str, tuple[tuple[str, str, int, int], ...]] = {
    "social_assistance": (
        ("城乡低保对象", "人", 900, 1300),
        ("低保金支出", "万元", 60, 110),
        ("临时救助", "人次", 40, 120),
        ("特困供养人员", "人", 120, 180),
    ),
    "elderly_care": (
        ("高龄津贴发放", "人", 2000, 2600),
        ("社区养老服务站", "个", 12, 20),
        ("养老机构床位", "张", 600, 900),
    ),
    "compulsory_education": (
        ("义务教育学校", "所", 18, 24),
        ("在校学生", "人", 21000, 26000),
        ("专任教师", "人", 1500, 1900),
        ("随迁子女就读", "人", 3000, 4200),
    ),
    "health": (
        ("门急诊人次", "万人次", 20, 40),
        ("家庭医生签约人数", "人", 30000, 52000),
        ("65岁及以上老年人健康管理", "人", 8000, 11000),
    ),
    "employment": (
        ("城镇新增就业", "人", 900, 2100),
        ("失业人员再就业", "人", 200, 500),
        ("职业技能培训", "人次", 600, 1600),
    ),
    "work_safety": (
        ("执法检查企业", "家", 120, 260),
        ("发现隐患", "项", 300, 700),
        ("整改隐患", "项", 280, 690),
    ),
    "food_drug": (
        ("食品抽检批次", "批次", 200, 400),
        ("抽检合格率", "%", 97, 99),
        ("检查经营主体", "户", 800, 1500),
    ),
    "budget": (
        ("一般公共预算收入", "万元", 180000, 260000),
        ("一般公共预算支出", "万元", 150000, 230000),
        ("民生支出占比", "%", 72, 80),
    ),
    "agri_subsidies": (
        ("耕地地力保护补贴面积", "亩", 30000, 42000),
        ("补贴资金", "万元", 300, 480),
        ("受益农户", "户", 4000, 6000),
    ),
    "poverty_alleviation": (
        ("脱贫人口", "人", 1800, 2400),
        ("监测对象", "户", 60, 120),
        ("衔接资金", "万元", 800, 1500),
    ),
}
DEFAULT_INDICATORS = (
    ("受理办件", "件", 200, 800),
    ("按时办结率", "%", 98, 100),
    ("群众满意率", "%", 97, 100),
)

VIOLATIONS = {
    "work_safety": (
        "未按照规定对从业人员进行安全生产教育和培训",
        "《中华人民共和国安全生产法》第九十七条",
    ),
    "ecology": (
        "未依法报批建设项目环境影响报告表，擅自开工建设",
        "《中华人民共和国环境影响评价法》第三十一条",
    ),
    "public_culture": (
        "未经许可擅自从事营业性演出经营活动",
        "《营业性演出管理条例》第四十三条",
    ),
    "health": ("未取得医疗机构执业许可证擅自执业", "《医疗机构管理条例》第四十三条"),
    "food_drug": (
        "经营超过保质期的预包装食品",
        "《中华人民共和国食品安全法》第一百二十四条",
    ),
    "urban_law_enforcement": (
        "未经批准在城市道路两侧擅自设置户外广告",
        "《城市市容和环境卫生管理条例》第三十六条",
    ),
    "public_legal": (
        "没有取得律师执业证书，以律师名义从事法律服务业务",
        "《中华人民共和国律师法》第五十五条",
    ),
}
DEFAULT_VIOLATION = ("违反有关管理规定", "有关法律、法规")

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶贺顾毛郝"
)
GIVEN = (
    "秀英", "桂兰", "建国", "建华", "志强", "玉兰", "秀兰", "丽华", "国华", "文华", "淑珍",
    "凤英", "德明", "春梅", "海燕", "建军", "红梅", "玉珍", "明", "伟", "芳", "军", "静",
    "敏", "强", "磊", "艳", "勇", "杰", "娟", "涛", "霞", "平", "刚", "桂英", "福生",
    "长青", "金花", "永红", "志刚", "晓燕", "德华", "保国", "翠兰", "忠良", "素芬",
)  # fmt: skip
PLACES = (
    "东湖街道湖滨社区", "东湖街道春晖社区", "东湖街道东湖社区", "西山街道西山村",
    "西山街道柳塘村", "西山街道桃源村",
)  # fmt: skip
COMPANIES = (
    "示范市恒通商贸有限公司", "示范经济开发区鑫源餐饮店", "示范市宏达建筑工程有限公司",
    "示范市绿源环保科技有限公司", "示范经济开发区佳味食品厂", "示范市安泰物流有限公司",
    "示范市新光文化传媒有限公司", "示范市金盾保安服务有限公司",
)  # fmt: skip
# Domain → the kind of business a penalty decision is addressed to.
PARTY_KINDS = {
    "work_safety": ("机械制造有限公司", "五金加工厂", "仓储有限公司"),
    "ecology": ("化工有限公司", "建材有限公司", "印染有限公司"),
    "public_culture": ("文化传媒有限公司", "演艺有限公司", "网吧"),
    "health": ("诊所", "口腔诊所", "医疗美容门诊部"),
    "food_drug": ("超市", "餐饮店", "食品厂"),
    "urban_law_enforcement": ("商贸有限公司", "广告有限公司", "建筑工程有限公司"),
    "public_legal": ("法律咨询服务有限公司", "商务咨询有限公司"),
}
TRADE_NAMES = ("恒通", "鑫源", "宏达", "绿源", "佳味", "安泰", "新光", "瑞丰", "华康", "永盛")
PROJECTS = (
    "东湖街道社区卫生服务中心医疗设备购置", "示范经济开发区智慧城管平台运维服务",
    "西山街道农村道路提升改造工程", "区属义务教育学校课桌椅采购",
    "公共租赁住房小区物业服务", "示范大道雨污分流改造工程", "政务服务中心自助终端采购",
)  # fmt: skip
PHONE_PREFIX = "0999-6"  # a landline with its area code: the privacy screen leaves it alone

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def domain_info(code: str) -> tuple[str, tuple[str, ...], tuple[str, ...], str]:
    return DOMAINS.get(code, DEFAULT_DOMAIN)


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def people(rng: random.Random, n: int) -> list[str]:
    seen: list[str] = []
    while len(seen) < n:
        name = person(rng)
        if name not in seen:
            seen.append(name)
    return seen


def party(rng: random.Random, domain: str, used: set) -> str:
    """A fictional business fitting the domain, not yet used under the same item."""
    kinds = PARTY_KINDS.get(domain, ("商贸有限公司", "服务有限公司"))
    while True:
        name = f"示范市{rng.choice(TRADE_NAMES)}{rng.choice(kinds)}"
        if name not in used:
            return name


def phone(rng: random.Random) -> str:
    return f"{PHONE_PREFIX}{rng.randint(1000000, 9999999)}"


def address(rng: random.Random) -> str:
    return f"{ZONE}{rng.choice(('湖滨路', '示范大道', '桃源路', '柳塘路'))}{rng.randint(1, 200)}号"


def uscc(rng: random.Random) -> str:
    """A 统一社会信用代码 with a valid check character (GB 32100), in the fictional 99 region."""
    body = "91990171MA" + "".join(rng.choice(USCC_CHARS[10:]) for _ in range(7))
    weights = [pow(3, i, 31) for i in range(17)]
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(body, weights, strict=True))
    return body + USCC_CHARS[(31 - total % 31) % 31]


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def quarter(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def p(text: str) -> str:
    return f"<p>{escape(text, quote=False)}</p>"


def labelled(label: str, text: str) -> str:
    return f"<p><strong>{escape(label)}</strong>{escape(text, quote=False)}</p>"


def table(rows: list[list[object]]) -> str:
    """An HTML table; the first row is the header."""
    head, *body = rows
    out = ["<table><thead><tr>"]
    out += [f"<th>{escape(str(c))}</th>" for c in head]
    out.append("</tr></thead><tbody>")
    for row in body:
        out.append("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def closing(agency_name: str, day: dt.date) -> str:
    return p(agency_name) + p(cn_date(day))


CHINESE_NUMBERS = "一二三四五六七八九十"
