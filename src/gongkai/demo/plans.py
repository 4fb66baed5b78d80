"""What the demo publishes: a deterministic plan of records under the demo catalog items.

Each published item gets 1-3 records of the kind its name suggests — 政策文件 (normative
documents with 文号 and validity, or work notices and 政策解读), 通知公告, 名单公示,
办事指南, 统计数据 or 行政处罚决定 — formed between January and November 2026 and
published a few working days later, before the due date its time limit gives. A handful
are then made late on purpose (records.py). Randomness is seeded per item, so every run
and every machine plans the same records (the idempotence of `gongkai demo` rests on it).

This module only plans; records.py carries the plans out through the disclosure services.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from html import escape

from gongkai.catalog.models import CatalogItem
from gongkai.core.workdays import add_workdays, is_workday
from gongkai.disclosure.timeliness import due_date

from . import files
from . import texts as T

YEAR = 2026
FIRST_FORMED = dt.date(YEAR, 1, 5)
LAST_FORMED = dt.date(YEAR, 11, 13)
SKIP_SHARE = 0.12  # "most" items get records: about one in eight stays empty

NUMBER_PLACEHOLDER = "〔文号〕"
TERM_PLACEHOLDER = "〔施行条款〕"


@dataclass
class Plan:
    """One record to create, and what happens to it afterwards."""

    item: CatalogItem
    kind: str  # policy, interpretation, notice, list, guide, stats, penalty
    title: str
    body: str
    formed_on: dt.date
    topic: str
    categories: list[str]
    written_on: dt.date | None = None
    series: str = ""  # 发 / 规 / 罚决: the 文号 series, numbered per agency (number_documents)
    doc_number: str = ""
    is_normative: bool = False
    validity: str = ""
    validity_date: dt.date | None = None
    # (validity, date, note) applied after publication: 失效 or 废止 later in the year.
    later_validity: tuple[str, dt.date, str] | None = None
    attachment: tuple[str, Callable[[], bytes]] | None = None
    status: str = "published"  # the status the record ends in
    submit_at: dt.datetime | None = None
    publish_at: dt.datetime | None = None
    withdraw: tuple[dt.datetime, str] | None = None
    due_on: dt.date | None = None
    late: bool = False
    rng_seed: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def agency(self):
        return self.item.agency

    def fields(self) -> dict:
        """Keyword arguments of disclosure.services.create_record."""
        return {
            "title": self.title,
            "body": self.body,
            "doc_number": self.doc_number,
            "issuer": self.agency.name,
            "written_on": self.written_on,
            "formed_on": self.formed_on,
            "topic": self.topic,
            "categories": self.categories,
            "is_normative": self.is_normative,
            "validity": self.validity,
            "validity_date": self.validity_date,
        }


def stable_hash(text: str) -> int:
    # Python's hash() is salted per process; this one is the same everywhere.
    value = 0
    for ch in text:
        value = (value * 131 + ord(ch)) % 1_000_000_007
    return value


def item_key(item: CatalogItem) -> str:
    return f"{item.agency.code}|{item.domain.code}|{item.level1}|{item.level2}"


# --- dates ------------------------------------------------------------------------------


def next_workday(day: dt.date) -> dt.date:
    while not is_workday(day).workday:
        day += dt.timedelta(days=1)
    return day


def local_time(day: dt.date, hour: int, minute: int) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


def formed_dates(rng: random.Random, n: int) -> list[dt.date]:
    months = sorted(rng.sample(range(1, 12), n))
    out = []
    for month in months:
        last = LAST_FORMED.day if month == LAST_FORMED.month else 25
        day = next_workday(dt.date(YEAR, month, rng.randint(1, last)))
        out.append(min(max(day, FIRST_FORMED), LAST_FORMED))
    return sorted(set(out))


def set_publication(plan: Plan, rng: random.Random, day: dt.date) -> None:
    plan.publish_at = local_time(day, rng.randint(9, 16), rng.randint(0, 59))
    plan.submit_at = plan.publish_at - dt.timedelta(hours=rng.randint(2, 26))


def schedule_on_time(plan: Plan, rng: random.Random) -> None:
    """Published 1-5 working days after formation, never after the due date."""
    plan.due_on = due_date(plan.item.time_limit, plan.formed_on).due_on
    day = add_workdays(plan.formed_on, rng.randint(1, 5)).date
    set_publication(plan, rng, min(day, plan.due_on))


def make_late(plan: Plan, rng: random.Random) -> None:
    """Published 2-8 working days after the due date (the demo's late records)."""
    plan.late = True
    set_publication(plan, rng, add_workdays(plan.due_on, rng.randint(2, 8)).date)


# --- classification -----------------------------------------------------------------------

_PENALTY = re.compile("处罚|强制|查封|扣押")
_LIST = re.compile("名单|审核信息|识别|任务分配|表彰|调查结果|现状调查")
_STATS = re.compile("统计|预算|决算|年度计划|概况|清单|抽检|监督检查|名录|基本信息")
_POLICY = re.compile("政策|法规|规章|规范性|文件|标准|法律|解读|决策|纳税人权利")
_GUIDE = re.compile(
    "指南|许可|审批|登记|备案|注销|咨询|补贴|申请|注册|变更|服务|保护|培育|支持|出生|收养|行驶"
)
_NOTICE = re.compile(
    "咨询监督|办理过程|公告|告知|岗位|免费开放|群众文化|特殊群体|公共利益|社会稳定|征收土地信息|审批核准"
)
_NORMATIVE_ITEM = re.compile("规范性|规章|政策文件|法规文件|部门文件|地方层面|政策法规|其他政策")
_LAW_ITEM = re.compile("法律|国家层面|行政法规|^标准$")


def classify(item: CatalogItem) -> str:
    if item.domain.code == "urban_law_enforcement":
        return "penalty"  # every item of the domain is a kind of violation
    name = item.level2 or item.level1
    for kind, pattern in (
        ("penalty", _PENALTY),
        ("list", _LIST),
        ("stats", _STATS),
        ("policy", _POLICY),
        ("notice", _NOTICE),
        ("guide", _GUIDE),
    ):
        if pattern.search(name):
            return kind
    if "政策" in item.level1 or "法规" in item.level1:
        return "policy"
    return "notice"


# --- the plan of one item --------------------------------------------------------------------


class _Context:
    def __init__(self, item: CatalogItem, rng: random.Random) -> None:
        self.item = item
        self.rng = rng
        self.agency = item.agency
        self.domain = item.domain.code
        self.topic, self.domain_categories, self.subjects, self.law = T.domain_info(self.domain)
        self.short = self.agency.short_name or self.agency.name.replace(T.ZONE, "")
        self.place = {"990171-dh": "东湖街道", "990171-xs": "西山街道"}.get(self.agency.code, "")

    def categories(self, *extra: str) -> list[str]:
        return list(dict.fromkeys([*extra, *self.domain_categories]))

    def subject(self, i: int) -> str:
        return self.subjects[i % len(self.subjects)]


def plan_item(item: CatalogItem, *, always: bool = False) -> list[Plan]:
    """The records planned under one published item (none for about one item in eight,
    unless `always`; policy items always have documents, other items link to them)."""
    seed = stable_hash(item_key(item))
    rng = random.Random(seed)
    if rng.random() < SKIP_SHARE and not always and not _NORMATIVE_ITEM.search(item.level2):
        return []
    ctx = _Context(item, rng)
    kind = classify(item)
    n = rng.choice((1, 1, 1, 2, 2, 3))
    plans: list[Plan] = []
    titles: set[str] = set()
    for i, formed in enumerate(formed_dates(rng, n)):
        plan = _GENERATORS[kind](ctx, i, formed, plans)
        if plan is None or plan.title in titles:
            continue
        plan.rng_seed = seed + i
        titles.add(plan.title)
        schedule_on_time(plan, rng)
        plans.append(plan)
    return plans


def _plan(ctx: _Context, kind: str, title: str, body: str, formed: dt.date, **kw) -> Plan:
    kw.setdefault("categories", ctx.categories())
    return Plan(
        item=ctx.item,
        kind=kind,
        title=title,
        body=body,
        formed_on=formed,
        topic=ctx.topic,
        **kw,
    )


def _written(ctx: _Context, formed: dt.date) -> dt.date:
    return formed - dt.timedelta(days=ctx.rng.randint(0, 3))


# 政策文件 ---------------------------------------------------------------------------------


def _policy(ctx: _Context, i: int, formed: dt.date, earlier: list[Plan]) -> Plan:
    item, rng = ctx.item, ctx.rng
    first_normative = next((p for p in earlier if p.is_normative), None)
    if first_normative is not None:
        # A 政策解读 comes out with its document (国办发〔2019〕61号's 同步解读).
        return _interpretation(ctx, first_normative.formed_on, first_normative)
    if _LAW_ITEM.search(item.level2):
        return _law_notice(ctx, i, formed)
    if i == 0 and (_NORMATIVE_ITEM.search(item.level2) or rng.random() < 0.5):
        return _normative(ctx, i, formed)
    return _work_notice(ctx, i, formed)


def _normative(ctx: _Context, i: int, formed: dt.date) -> Plan:
    rng, subject = ctx.rng, ctx.subject(i + ctx.rng.randint(0, 2))
    name = rng.choice(("管理办法", "实施细则", "实施办法", "工作规程"))
    document = f"{T.ZONE}{subject}{name}"
    title = f"{ctx.agency.name}关于印发《{document}》的通知"
    written = _written(ctx, formed)
    effective = written + dt.timedelta(days=rng.choice((10, 15, 20, 30)))
    articles = [
        f"为进一步规范{subject}工作，保障群众合法权益，根据{ctx.law}等有关规定，"
        "结合本区实际，制定本办法。",
        f"本办法适用于本区行政区域内的{subject}工作。",
        f"{ctx.agency.name}负责本区{subject}工作的组织实施和监督管理；各街道办事处负责辖区内"
        "的具体实施工作。",
        "办理程序包括申请、受理、审核、决定和送达，各环节应当在规定时限内完成，"
        "不得要求申请人提供法律法规规定以外的材料。",
        f"{ctx.agency.name}应当通过政府网站、政务新媒体和公开栏公开有关政策、办理程序和办理"
        "结果，接受社会监督。涉及个人隐私的信息依法不予公开。",
        TERM_PLACEHOLDER,
    ]
    body = (
        T.p("各街道办事处，区直各部门、各单位：")
        + T.p(f"《{document}》已经管委会研究同意，现印发给你们，请结合实际认真贯彻执行。")
        + T.closing(ctx.agency.name, written)
        + f"<p><strong>{document}</strong></p>"
        + "".join(
            T.labelled(f"第{T.CHINESE_NUMBERS[k]}条　", text) for k, text in enumerate(articles)
        )
    )
    plan = _plan(
        ctx,
        "policy",
        title,
        body,
        formed,
        categories=ctx.categories("regulations"),
        written_on=written,
        series="规",
        is_normative=True,
        validity="valid",
        validity_date=effective,
    )
    plan.extra.update(document=document, effective=effective, articles=articles)
    if rng.random() < 0.5:
        plan.attachment = (f"{document}.pdf", _normative_pdf(plan))
    return plan


def _normative_pdf(plan: Plan) -> Callable[[], bytes]:
    def build() -> bytes:
        lines = [plan.doc_number, ""]
        for k, text in enumerate(plan.extra["articles"]):
            text = text.replace(TERM_PLACEHOLDER, term_clause(plan))
            lines.append(f"第{T.CHINESE_NUMBERS[k]}条　{text}")
        lines += ["", plan.agency.name, T.cn_date(plan.written_on)]
        return files.make_pdf(plan.extra["document"], lines)

    return build


def term_clause(plan: Plan) -> str:
    effective = plan.extra["effective"]
    if plan.validity == "expired" or (plan.later_validity and plan.later_validity[0] == "expired"):
        end = plan.later_validity[1] - dt.timedelta(days=1)
        return f"本办法自{T.cn_date(effective)}起施行，有效期至{T.cn_date(end)}。"
    return f"本办法自{T.cn_date(effective)}起施行，有效期五年。"


def _interpretation(ctx: _Context, formed: dt.date, source: Plan) -> Plan:
    document = source.extra["document"]
    body = (
        T.labelled("一、制定背景　", f"为贯彻落实{ctx.law}，进一步规范本区相关工作，制定本文件。")
        + T.labelled(
            "二、主要内容　", "明确了适用范围、职责分工、办理程序、公开要求和监督管理等内容。"
        )
        + T.labelled("三、适用对象　", "本区行政区域内的有关单位和群众。")
        + T.labelled("四、实施时间　", f"自{T.cn_date(source.extra['effective'])}起施行。")
        + T.labelled("五、解读机关及联系方式　", f"{ctx.agency.name}，{T.phone(ctx.rng)}。")
    )
    return _plan(
        ctx,
        "interpretation",
        f"《{document}》政策解读",
        body,
        formed,
        categories=ctx.categories("regulations"),
    )


def _law_notice(ctx: _Context, i: int, formed: dt.date) -> Plan:
    law = ctx.law if i == 0 else f"{ctx.subject(i)}相关法律法规"
    title = f"关于认真学习贯彻{law}的通知" if i == 0 else f"{YEAR}年{ctx.subject(i)}法律法规汇编"
    body = (
        T.p("各街道办事处，区直各部门、各单位：")
        + T.p(f"为深入贯彻{ctx.law}，切实做好{ctx.subject(i)}工作，现就有关事项通知如下：")
        + T.labelled("一、", "各单位要将相关法律法规纳入年度学法计划，组织干部职工认真学习。")
        + T.labelled("二、", "要结合“八五”普法工作，面向群众开展多种形式的宣传解读。")
        + T.labelled("三、", "学习贯彻中遇到的问题，请及时向我局反映。")
        + T.closing(ctx.agency.name, formed)
    )
    return _plan(
        ctx,
        "policy",
        title,
        body,
        formed,
        categories=ctx.categories("regulations"),
        written_on=_written(ctx, formed),
        series="发",
    )


def _work_notice(ctx: _Context, i: int, formed: dt.date) -> Plan:
    subject = ctx.subject(i)
    title = ctx.rng.choice(
        (
            f"关于做好{YEAR}年{subject}工作的通知",
            f"{YEAR}年{subject}工作要点",
            f"关于进一步加强{subject}工作的意见",
        )
    )
    body = (
        T.p("各街道办事处，区直各部门、各单位：")
        + T.p(f"为做好{YEAR}年{subject}工作，根据{ctx.law}和上级有关部署，现提出如下要求：")
        + T.labelled("一、明确目标任务。", f"围绕{subject}重点工作，细化任务分工，压实工作责任。")
        + T.labelled("二、规范工作程序。", "严格执行申请、审核、公示和公开等各环节规定。")
        + T.labelled("三、强化督促检查。", "定期开展督导，对工作推进不力的予以通报。")
        + T.closing(ctx.agency.name, formed)
    )
    return _plan(
        ctx,
        "policy",
        title,
        body,
        formed,
        categories=ctx.categories("regulations"),
        written_on=_written(ctx, formed),
        series="发",
    )


# 通知公告 ---------------------------------------------------------------------------------

BLOCKS = ("示范大道北侧A-03", "湖滨路东侧B-12", "桃源路南侧C-07", "柳塘片区D-02")
_NOTICE_TITLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("规划", ("关于《{zone}{block}地块控制性详细规划》批后公布的公告",
             "关于《{zone}{village}村庄规划（2021—2035年）》批前公示的公告")),
    ("采购公告", ("{project}项目公开招标公告", "{project}项目竞争性磋商公告")),
    ("中标", ("{project}项目中标（成交）结果公告",)),
    ("合同", ("{project}项目政府采购合同公告",)),
    ("资格预审", ("{project}资格预审公告",)),
    ("审批核准", ("{project}项目招标事项核准情况公告",)),
    ("启动公告", ("{block}地块土地征收启动公告",)),
    ("告知", ("{block}地块拟征收土地告知书",)),
    ("补偿安置公告", ("{block}地块征收土地补偿安置公告",)),
    ("征收土地信息", ("{block}地块征收土地报批前告知情况",)),
    ("办理过程", ("{year}年{month}月政府投资项目审批办理进展情况",)),
    ("咨询监督", ("{agency}项目审批咨询和监督投诉电话公告",)),
    ("公共利益", ("{block}片区旧城区改建项目符合公共利益的说明",)),
    ("社会稳定", ("{block}片区房屋征收社会稳定风险评估结果公告",)),
    ("岗位", ("{year}年{month}月重点企业用工岗位信息",)),
    ("免费开放", ("{zone}公共文化机构{year}年{month}月免费开放安排",)),
    ("群众文化", ("关于举办{year}年“湖畔之声”群众文化系列活动的公告",)),
    ("特殊群体", ("关于开展{year}年“文化助残”公共文化服务活动的公告",)),
)  # fmt: skip
_GENERIC_NOTICES = (
    "关于开展{year}年{subject}集中宣传活动的公告",
    "关于调整{subject}业务办理时间的公告",
    "关于做好{year}年{subject}有关工作的通告",
)


def _notice(ctx: _Context, i: int, formed: dt.date, earlier: list[Plan]) -> Plan:
    rng, level2 = ctx.rng, ctx.item.level2
    templates = next((t for key, t in _NOTICE_TITLES if key in level2), _GENERIC_NOTICES)
    project = rng.choice(T.PROJECTS)
    title = templates[i % len(templates)].format(
        zone=T.ZONE,
        year=YEAR,
        month=formed.month,
        block=rng.choice(BLOCKS),
        village=rng.choice(("西山村", "柳塘村", "桃源村")),
        project=project,
        agency=ctx.agency.name,
        subject=ctx.subject(i),
    )
    categories = ctx.categories()
    body = T.p(f"根据{ctx.law}等有关规定，现将有关事项公告如下：")
    if "中标" in level2 or "合同" in level2:
        amount = rng.randint(30, 900) * 1000
        body += T.table(
            [
                ["项目名称", "采购方式", "供应商名称", "金额（元）"],
                [project, rng.choice(("公开招标", "竞争性磋商")), rng.choice(T.COMPANIES), amount],
            ]
        )
    else:
        body += (
            T.labelled("一、主要内容　", f"{title.removesuffix('公告').removesuffix('通告')}。")
            + T.labelled("二、实施时间　", f"自{T.cn_date(formed)}起。")
            + T.labelled("三、联系方式　", f"{ctx.agency.name}，电话{T.phone(rng)}。")
        )
    body += T.p("特此公告。") + T.closing(ctx.agency.name, formed)
    return _plan(
        ctx,
        "notice",
        title,
        body,
        formed,
        categories=categories,
        written_on=formed,
        series="发" if "采购" not in level2 and "中标" not in level2 else "",
    )


# 名单公示 ---------------------------------------------------------------------------------


def _list(ctx: _Context, i: int, formed: dt.date, earlier: list[Plan]) -> Plan:
    rng, level2 = ctx.rng, ctx.item.level2
    place = ctx.place or "全区"
    month = formed.month
    if ctx.domain == "social_assistance":
        title = f"{place}{YEAR}年{month}月城乡最低生活保障审核确认结果公示"
        head = ["序号", "姓名", "所在社区（村）", "保障人口", "月保障金额（元）"]
        rows = [
            [k + 1, name, rng.choice(T.PLACES), rng.randint(1, 4), rng.randint(3, 18) * 50]
            for k, name in enumerate(T.people(rng, rng.randint(5, 9)))
        ]
        what = "城乡最低生活保障审核确认结果"
    elif "表彰" in level2:
        title = f"拟表彰{YEAR}年度法治宣传教育先进集体和先进个人名单公示"
        head = ["序号", "姓名", "工作单位"]
        units = ("东湖街道办事处", "西山街道办事处", "示范经济开发区人民法院", "东湖社区居民委员会")
        rows = [[k + 1, n, rng.choice(units)] for k, n in enumerate(T.people(rng, 6))]
        what = "拟表彰先进个人"
    elif "调查" in level2:
        block = rng.choice(BLOCKS)
        title = f"{block}地块拟征收土地现状调查结果公示"
        head = ["序号", "权属人", "地类", "面积（亩）"]
        rows = [
            [k + 1, n, rng.choice(("水田", "旱地", "宅基地", "林地")), rng.randint(3, 40) / 10]
            for k, n in enumerate(T.people(rng, 6))
        ]
        what = "拟征收土地现状调查结果"
    elif "任务分配" in level2:
        title = f"{YEAR}年第{i + 1}批农村危房改造补助农户名单公示"
        head = ["序号", "户主姓名", "所在村", "改造方式", "补助金额（元）"]
        rows = [
            [k + 1, n, rng.choice(T.PLACES[3:]), rng.choice(("加固", "翻建")),
             rng.choice((15000, 20000, 30000))]
            for k, n in enumerate(T.people(rng, 6))
        ]  # fmt: skip
        what = "农村危房改造补助农户"
    else:
        title = f"{YEAR}年第{T.quarter(formed)}季度防止返贫监测对象识别结果公示"
        head = ["序号", "户主姓名", "所在村", "家庭人口", "风险类型"]
        rows = [
            [k + 1, n, rng.choice(T.PLACES[3:]), rng.randint(2, 6),
             rng.choice(("因病", "因学", "因灾", "务工就业不稳"))]
            for k, n in enumerate(T.people(rng, 5))
        ]  # fmt: skip
        what = "防止返贫监测对象"
    end = add_workdays(formed, 7).date
    body = (
        T.p(
            f"根据{ctx.law}等有关规定，经申请、入户核查和民主评议，现将{what}名单予以公示。"
            f"公示期为{T.cn_date(formed)}至{T.cn_date(end)}。"
        )
        + T.table([head, *rows])
        + T.p(f"如有异议，请在公示期内向{ctx.agency.name}反映。监督电话：{T.phone(rng)}。")
        + T.closing(ctx.agency.name, formed)
    )
    plan = _plan(ctx, "list", title, body, formed, categories=ctx.categories())
    if rng.random() < 0.5:
        plan.attachment = (f"{title}.xlsx", partial(files.make_xlsx, title, [head, *rows]))
    return plan


# 办事指南 ---------------------------------------------------------------------------------


def _guide(ctx: _Context, i: int, formed: dt.date, earlier: list[Plan]) -> Plan:
    item, rng = ctx.item, ctx.rng
    name = item.level2
    if name == "办事指南":
        name = f"{ctx.subject(0)}审批" if item.level1.endswith("信息") else item.level1
    elif name in ("行政许可", "行政审批"):
        name = f"{ctx.subject(0)}{name}"
    if name.endswith("指南"):
        base = name if name.startswith(T.ZONE) else f"{T.ZONE}{name}"
        name = re.sub(r"(服务指南|办事指南|指南)$", "", name)
    else:
        base = f"{name}办事指南"
    title = base if i == 0 else f"{base}（{YEAR}年{formed.month}月修订）"
    window = rng.randint(1, 30)
    days = rng.choice((3, 5, 7, 10))
    materials = [
        ["序号", "材料名称", "份数", "要求"],
        [1, f"{name}申请表", 1, "原件"],
        [2, "申请人身份证明", 1, "原件核验"],
        [3, "相关证明材料", 1, "复印件"],
    ]
    body = (
        T.labelled("一、事项名称　", name)
        + T.labelled("二、设定依据　", item.basis or ctx.law)
        + T.labelled("三、申请条件　", f"符合{ctx.law}及本区有关规定条件的单位或个人。")
        + "<p><strong>四、申请材料</strong></p>"
        + T.table(materials)
        + T.labelled("五、办理流程　", "申请→受理→审查→决定→送达。")
        + T.labelled("六、办理时限　", f"法定时限20个工作日，承诺时限{days}个工作日。")
        + T.labelled("七、收费标准　", "不收费。")
        + T.labelled("八、办理地点　", f"{T.ZONE}政务服务中心{window}号窗口（示范大道88号）。")
        + T.labelled("九、办理时间　", "工作日上午9:00—12:00，下午13:30—17:00（法定节假日除外）。")
        + T.labelled("十、咨询电话　", T.phone(rng))
    )
    plan = _plan(ctx, "guide", title, body, formed, categories=ctx.categories("licensing"))
    if rng.random() < 0.35:
        plan.attachment = (
            f"{name}申请表.docx",
            partial(
                files.make_docx,
                f"{name}申请表",
                ["申请人（单位）：", "联系电话：", "申请事项及理由：", "申请人签字（盖章）："],
                materials,
            ),
        )
    return plan


# 统计数据 ---------------------------------------------------------------------------------


def _stats(ctx: _Context, i: int, formed: dt.date, earlier: list[Plan]) -> Plan:
    item, rng, level2 = ctx.item, ctx.rng, ctx.item.level2
    previous = formed.replace(day=1) - dt.timedelta(days=1)
    categories = ctx.categories("statistics")
    if ctx.domain == "budget":
        return _budget(ctx, i, formed)
    if "名录" in level2:
        title = f"{T.ZONE}义务教育学校名录（{YEAR}年）"
        head = ["学校名称", "地址", "办学层次", "办公电话"]
        schools = ("东湖小学", "西山小学", "湖滨小学", "示范经济开发区实验中学", "桃源学校")
        rows = [
            [s, T.address(rng), "初中" if "中学" in s else "小学", T.phone(rng)] for s in schools
        ]
    elif "抽检" in level2:
        title = f"{YEAR}年第{i + 1}期食品安全监督抽检信息公告"
        head = ["被抽样单位", "食品名称", "检验结论"]
        foods = ("大米", "食用植物油", "鸡蛋", "豆制品", "饮用水", "糕点")
        rows = [[c, rng.choice(foods), "合格"] for c in rng.sample(T.COMPANIES, 4)]
        categories = ctx.categories("supervision", "statistics")
    elif "清单" in level2 or "计划" in level2:
        what = f"{ctx.subject(0)}年度计划" if level2 == "年度计划" else level2
        title = f"{YEAR}年{what}" + (f"（第{i + 1}批）" if i else "")
        head = ["序号", "名称", "实施单位", "数量"]
        rows = [
            [k + 1, f"{ctx.subject(k)}项目{k + 1}", ctx.agency.name, rng.randint(20, 400)]
            for k in range(4)
        ]
    elif "基本信息" in level2:
        title = f"{previous.year}年{previous.month}月{level2}公示"
        head = ["名称", "许可证编号", "地址", "有效期至"]
        names = rng.sample(T.COMPANIES, 4)
        rows = [
            [name, f"JY{rng.randint(10**13, 10**14 - 1)}", T.address(rng),
             T.cn_date(dt.date(YEAR + 5, previous.month, 1))]
            for name in names
        ]  # fmt: skip
    else:
        period = (
            f"{previous.year}年{previous.month}月"
            if i % 2 == 0
            else f"{previous.year}年第{T.quarter(previous)}季度"
        )
        if "监督检查" in level2:
            what = level2 if len(level2) > 4 else f"{item.domain.name}{level2}"
            title = f"{period}{what}情况"
        else:
            title = f"{period}{item.domain.name}统计数据"
        if "监督检查" in level2:
            categories = ctx.categories("supervision")
        head = ["指标", "单位", "本期", "同比增减（%）"]
        indicators = T.INDICATORS.get(ctx.domain, T.DEFAULT_INDICATORS)
        rows = [
            [name, unit, rng.randint(low, high), f"{rng.uniform(-8, 12):.1f}"]
            for name, unit, low, high in indicators
        ]
    body = (
        T.p(f"现将{title}公布如下：")
        + T.table([head, *rows])
        + T.p(f"注：数据来源于{ctx.agency.name}业务统计，部分为快报数，以年报为准。")
    )
    plan = _plan(ctx, "stats", title, body, formed, categories=categories)
    if rng.random() < 0.4:
        plan.attachment = (f"{title}.xlsx", partial(files.make_xlsx, title, [head, *rows]))
    return plan


def _budget(ctx: _Context, i: int, formed: dt.date) -> Plan | None:
    if i > 0:
        return None  # one budget or final account a year
    rng, level2 = ctx.rng, ctx.item.level2
    month = 2 if "预算" in level2 else 8
    formed = next_workday(dt.date(YEAR, month, rng.randint(5, 20)))
    year = YEAR if "预算" in level2 else YEAR - 1
    whose = T.ZONE if level2.startswith("政府") else ctx.agency.name
    if level2.startswith("政府") and ctx.place:
        whose = ctx.place
    what = "预算" if "预算" in level2 else "决算"
    title = f"{whose}{year}年{'部门' if level2.startswith('部门') else '财政'}{what}公开"
    total = rng.randint(800, 30000)
    basic = int(total * rng.uniform(0.3, 0.6))
    rows = [
        ["项目", "金额（万元）"],
        ["收入合计", total],
        ["支出合计", total],
        ["其中：基本支出", basic],
        ["项目支出", total - basic],
        ["“三公”经费", round(rng.uniform(3, 40), 2)],
    ]
    body = (
        T.p(
            f"根据《中华人民共和国预算法》和《地方预决算公开操作规程》，现将{whose}{year}年"
            f"{what}公开如下。"
        )
        + T.table(rows)
        + T.p("“三公”经费包括因公出国（境）费、公务用车购置及运行费、公务接待费。")
    )
    plan = _plan(
        ctx, "stats", title, body, formed, categories=ctx.categories("budget", "statistics")
    )
    plan.attachment = (f"{title}.xlsx", partial(files.make_xlsx, title, rows))
    return plan


# 行政处罚决定 ---------------------------------------------------------------------------------


def _penalty(ctx: _Context, i: int, formed: dt.date, earlier: list[Plan]) -> Plan:
    rng = ctx.rng
    used = {p.extra.get("company") for p in earlier}
    company = T.party(rng, ctx.domain, used)
    violation, basis = T.VIOLATIONS.get(ctx.domain, T.DEFAULT_VIOLATION)
    if ctx.domain == "urban_law_enforcement":
        violation = f"存在“{ctx.item.level2}”的违法行为"
    fine = rng.choice((2000, 5000, 10000, 20000, 30000))
    found = formed - dt.timedelta(days=rng.randint(20, 60))
    body = (
        T.labelled("当事人：", company)
        + T.labelled("统一社会信用代码：", T.uscc(rng))
        + T.labelled("文书编号：", NUMBER_PLACEHOLDER)
        + T.labelled("违法事实：", f"经查，当事人于{T.cn_date(found)}{violation}。")
        + T.labelled("处罚依据：", basis)
        + T.labelled("处罚内容：", f"警告，并处罚款人民币{fine}元。")
        + T.p(
            "当事人如不服本处罚决定，可以在收到本决定书之日起六十日内依法申请行政复议，"
            "或者在六个月内依法提起行政诉讼。"
        )
        + T.closing(ctx.agency.name, formed)
    )
    plan = _plan(
        ctx,
        "penalty",
        f"{company}行政处罚决定书",
        body,
        formed,
        categories=["penalties", *(c for c in ctx.domain_categories if c == "supervision")],
        written_on=formed,
        series="罚决",
    )
    plan.extra["company"] = company
    return plan


_GENERATORS = {
    "policy": _policy,
    "notice": _notice,
    "list": _list,
    "guide": _guide,
    "stats": _stats,
    "penalty": _penalty,
}


# --- across items -------------------------------------------------------------------------


def number_documents(plans: list[Plan]) -> None:
    """Give each document its 文号: per agency and series, in order of 成文日期."""
    series: dict[tuple[str, str], list[Plan]] = {}
    for plan in plans:
        if plan.series and not plan.doc_number:
            series.setdefault((plan.agency.code, plan.series), []).append(plan)
    for (code, kind), group in series.items():
        prefix = T.DOC_PREFIX.get(code, "示开")
        group.sort(key=lambda p: (p.written_on or p.formed_on, p.title))
        for n, plan in enumerate(group, start=1):
            plan.doc_number = f"{prefix}{kind}〔{YEAR}〕{n}号"
    for plan in plans:
        plan.body = plan.body.replace(NUMBER_PLACEHOLDER, plan.doc_number)
        if TERM_PLACEHOLDER in plan.body:
            plan.body = plan.body.replace(TERM_PLACEHOLDER, escape(term_clause(plan)))


def assign_validity(plans: list[Plan], today: dt.date) -> None:
    """Most normative documents stay 有效; some lapse (失效) or are repealed (废止) later in
    the year — at least two of each when there are eight or more (one with three or more)."""
    normative = sorted((p for p in plans if p.is_normative), key=lambda p: (p.agency.code, p.title))
    for plan in normative:
        roll = random.Random(plan.rng_seed + 7).random()
        if roll < 0.12:
            _lapse(plan, "repealed", today)
        elif roll < 0.24:
            _lapse(plan, "expired", today)
    want = 2 if len(normative) >= 8 else 1 if len(normative) >= 3 else 0
    for state in ("repealed", "expired"):
        have = sum(1 for p in normative if p.later_validity and p.later_validity[0] == state)
        spare = sorted(
            (p for p in normative if p.later_validity is None), key=lambda p: p.formed_on
        )
        for plan in spare[: max(0, want - have)]:
            _lapse(plan, state, today)


def _lapse(plan: Plan, state: str, today: dt.date) -> None:
    effective = plan.extra["effective"]
    rng = random.Random(plan.rng_seed + 11)
    latest = min(today - dt.timedelta(days=1), dt.date(YEAR, 11, 20))
    start = max(effective, plan.publish_at.date() if plan.publish_at else effective)
    start += dt.timedelta(days=30)
    if start >= latest:
        start = latest - dt.timedelta(days=1)
    day = start + dt.timedelta(days=rng.randint(0, max(0, (latest - start).days)))
    if state == "expired":
        day = day.replace(day=1)  # a term that ended with the month before
        day = max(day, start)
        note = "有效期届满，自动失效。"
    else:
        note = f"经{T.ZONE}规范性文件清理，决定自{T.cn_date(day)}起废止。"
    plan.later_validity = (state, day, note)
