"""Demo disclosure records (公开信息), created through the disclosure services.

Nothing is written below the services: drafting, attachments (checked by content and read
by the privacy screen), submission (due date), approval (screen, 索引号, search index),
validity changes and withdrawal all run as they do for a person in the back office, so the
workflow history, audit log and index numbers are real. Past dates come from the services'
``at=`` argument: the records look as if published through 2026, not all today.

What is created (plans.py decides the published ones):

* records under most published items of the demo zone, formed January–November 2026:
  政策文件 (normative ones with 文号 and 有效/失效/废止), 通知公告, 名单公示, 办事指南,
  统计数据, 行政处罚决定; some with a PDF, Word or Excel attachment;
* a few published late (after the due date their item's time limit gives);
* one record withdrawn with a reason and its corrected version;
* pending work: a submitted 低保 list that the privacy screen holds (an ID number and a
  mobile number in the text), a clean one awaiting review, two drafts and a scheduled one.

Actors: in 民政局 the demo's ``editor`` drafts and ``reviewer`` approves; elsewhere a
records clerk (``demo_clerk``, no password — it cannot log in) drafts and ``admin``
approves, so every approval is by a second person as the workflow requires.

Idempotent: a record is identified by its item and title; existing ones are left alone.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from functools import partial

from django.contrib.auth import get_user_model
from django.utils import timezone

from gongkai.catalog.models import CatalogItem, ItemStatus
from gongkai.core.workdays import add_workdays, is_workday
from gongkai.disclosure import services
from gongkai.disclosure.models import Record
from gongkai.org.models import Agency, Membership, Role
from gongkai.privacy.screen import id_check_digit

from . import files
from . import texts as T
from .plans import (
    YEAR,
    Plan,
    assign_validity,
    local_time,
    make_late,
    number_documents,
    plan_item,
    schedule_on_time,
    set_publication,
    stable_hash,
)
from .zone import AGENCIES

CLERK = "demo_clerk"
EDITORIAL_AGENCY = "990171-mzj"  # where the demo's own editor and reviewer work
# (agency or "", words of the item) of the records made late: one in 民政局, where the
# demo's reviewer works, so the back-office account sees a late record too.
LATE_HINTS = (
    (EDITORIAL_AGENCY, "审核信息"),
    ("", "行政处罚"),
    ("", "开工项目清单"),
    ("", "部门决算"),
)
MIN_LATE = 4
LATEST_LATE_FORMED = dt.date(YEAR, 10, 1)

# A resident ID number with a valid check digit for the record the screen must hold: a
# real region code (北京市朝阳区) and birth date, an obviously made-up person (张示例).
HELD_ID_FIRST17 = "11010519580312123"
HELD_ID = HELD_ID_FIRST17 + id_check_digit(HELD_ID_FIRST17)
HELD_MOBILE = "13912345678"
HELD_TITLE = "关于新增城乡最低生活保障对象的公示"


def zone_codes() -> list[str]:
    return [a[0] for a in AGENCIES]


def zone_items() -> list[CatalogItem]:
    return list(
        CatalogItem.objects.filter(
            agency__code__in=zone_codes(), is_guideline=False, status=ItemStatus.PUBLISHED
        )
        .select_related("agency", "domain")
        .order_by("agency__code", "domain__code", "level1", "level2", "pk")
    )


def find_item(items: Iterable[CatalogItem], agency: str, level2: str) -> CatalogItem | None:
    return next((i for i in items if i.agency.code == agency and level2 in i.level2), None)


# --- the plan --------------------------------------------------------------------------------


def build_plans(items: list[CatalogItem], today: dt.date) -> list[Plan]:
    """Every record the demo wants, published ones dated, in publication order."""
    # 民政局's items all get records: the demo's editor and reviewer work there.
    plans = [
        plan
        for item in items
        for plan in plan_item(item, always=item.agency.code == EDITORIAL_AGENCY)
    ]
    plans += _special_published(items)
    _mark_late(plans)
    assign_validity(plans, today)
    plans += _pending(items, today)
    unique = {(p.item.pk, p.title): p for p in reversed(plans)}  # the first plan of a title
    plans = [p for p in plans if unique[(p.item.pk, p.title)] is p]
    number_documents(plans)
    far = timezone.now() + dt.timedelta(days=3650)
    plans.sort(key=lambda p: (p.status != "published", p.publish_at or far, p.title))
    return plans


def _mark_late(plans: list[Plan]) -> None:
    candidates = sorted(
        (p for p in plans if p.formed_on <= LATEST_LATE_FORMED and p.status == "published"),
        key=lambda p: (p.agency.code, p.title),
    )
    chosen: list[Plan] = []
    for agency, words in LATE_HINTS:
        plan = next(
            (
                p
                for p in candidates
                if words in p.item.level2 and agency in p.agency.code and p not in chosen
            ),
            None,
        )
        if plan is not None:
            chosen.append(plan)
    for plan in candidates:  # when the catalog lacks some of the hinted items
        if len(chosen) >= MIN_LATE:
            break
        if plan not in chosen and plan.withdraw is None:
            chosen.append(plan)
    for plan in chosen:
        make_late(plan, random.Random(plan.rng_seed + 3))


def _base(item: CatalogItem, kind: str, title: str, body: str, formed: dt.date, **kw) -> Plan:
    topic, categories, _subjects, _law = T.domain_info(item.domain.code)
    kw.setdefault("categories", list(categories))
    return Plan(item=item, kind=kind, title=title, body=body, formed_on=formed, topic=topic, **kw)


def _special_published(items: list[CatalogItem]) -> list[Plan]:
    """Records the generated ones do not cover: a withdrawal and its correction, the
    公务员录用 and 收费 categories of Art. 20."""
    out: list[Plan] = []
    rng = random.Random(2026)
    stats = find_item(items, "990171-jyj", "教育统计数据")
    if stats is not None:
        rows = [
            ["指标", "单位", "2026年上半年"],
            ["义务教育学校", "所", 21],
            ["在校学生", "人", 23816],
            ["专任教师", "人", 1712],
        ]
        wrong = [r[:] for r in rows]
        wrong[2][2] = 32816
        for title, data, formed in (
            ("2026年上半年义务教育统计数据", wrong, dt.date(YEAR, 7, 10)),
            ("2026年上半年义务教育统计数据（更正）", rows, dt.date(YEAR, 7, 20)),
        ):
            body = T.p(f"现将{title.removesuffix('（更正）')}公布如下：") + T.table(data)
            if "更正" in title:
                body += T.p("7月14日发布的数据中在校学生数有误，现予更正。")
            plan = _base(stats, "stats", title, body, formed, categories=["statistics"])
            plan.rng_seed = stable_hash(title)
            schedule_on_time(plan, rng)
            out.append(plan)
        withdrawn_at = local_time(dt.date(YEAR, 7, 16), 10, 30)
        out[0].withdraw = (withdrawn_at, "在校学生数统计有误（录入错误），更正后重新发布。")
        set_publication(out[0], rng, dt.date(YEAR, 7, 14))
    civil = find_item(items, "990171-rsj", "岗位信息发布")
    if civil is not None:
        posts = ("综合管理岗", "财务管理岗", "执法岗", "信息技术岗")
        schools = ("示范大学", "示范师范学院")
        rows = [["序号", "姓名", "性别", "拟录用职位", "毕业院校"]] + [
            [k + 1, name, rng.choice("男女"), rng.choice(posts), rng.choice(schools)]
            for k, name in enumerate(T.people(rng, 6))
        ]
        title = f"{T.ZONE}{YEAR}年度考试录用公务员拟录用人员名单公示"
        formed = dt.date(YEAR, 6, 22)
        body = (
            T.p(
                f"根据公务员录用有关规定，经笔试、面试、体检和考察，现将{YEAR}年度考试录用公务员"
                "拟录用人员名单予以公示，公示期为5个工作日。"
            )
            + T.table(rows)
            + T.p(f"如有异议，请在公示期内向{civil.agency.name}反映。电话：{T.phone(rng)}。")
        )
        plan = _base(civil, "list", title, body, formed, categories=["civil_service"])
        plan.rng_seed = stable_hash(title)
        schedule_on_time(plan, rng)
        plan.attachment = (f"{title}.xlsx", partial(files.make_xlsx, title, rows))
        out.append(plan)
    fees = find_item(items, "990171-cgj", "占用、挖掘城市道路")
    if fees is not None:
        title = f"{T.ZONE}城市道路占用挖掘修复费收费标准"
        rows = [
            ["道路类型", "计费单位", "收费标准（元）"],
            ["沥青混凝土车行道", "平方米", 260],
            ["水泥混凝土车行道", "平方米", 220],
            ["人行道（彩色砖）", "平方米", 150],
        ]
        body = (
            T.p("根据《城市道路管理条例》和省、市价格主管部门有关规定，现将本区城市道路占用挖掘"
                "修复费收费标准公布如下：")
            + T.table(rows)
            + T.p("收费单位应当出具财政部门统一印制的票据。举报电话：12345。")
        )  # fmt: skip
        plan = _base(fees, "notice", title, body, dt.date(YEAR, 3, 16), categories=["fees"])
        plan.written_on = dt.date(YEAR, 3, 13)
        plan.series = "发"
        plan.rng_seed = stable_hash(title)
        schedule_on_time(plan, rng)
        out.append(plan)
    return out


def _recent_workday(today: dt.date, back: int) -> dt.date:
    day = today - dt.timedelta(days=back)
    while not is_workday(day).workday:
        day -= dt.timedelta(days=1)
    return day


def _pending(items: list[CatalogItem], today: dt.date) -> list[Plan]:
    """Work waiting in the back office, formed in the last days before the demo is loaded."""
    out: list[Plan] = []
    rng = random.Random(11)
    formed = _recent_workday(today, 2)
    held = find_item(items, EDITORIAL_AGENCY, "审核信息")
    if held is not None:
        names = T.people(rng, 4)
        rows = [["序号", "姓名", "所在社区（村）", "保障人口", "月保障金额（元）"]] + [
            [k + 1, n, rng.choice(T.PLACES), rng.randint(1, 4), rng.randint(4, 16) * 50]
            for k, n in enumerate(names)
        ]
        body = (
            T.p("经申请、入户核查和民主评议，以下家庭符合城乡最低生活保障条件，现予公示。")
            + T.table(rows)
            + T.p(
                f"其中张示例（身份证号码：{HELD_ID}，联系电话：{HELD_MOBILE}）家庭因病致贫，"
                "按分类施保规定增发保障金。"
            )
            + T.p(f"公示期为7个工作日。监督电话：{T.phone(rng)}。")
        )
        out.append(_base(held, "list", HELD_TITLE, body, formed, status="submitted"))
    filing = find_item(items, EDITORIAL_AGENCY, "养老机构备案")
    if filing is not None:
        rows = [
            ["机构名称", "地址", "床位数（张）", "备案日期"],
            ["东湖颐养院", T.address(rng), 120, T.cn_date(formed)],
            ["西山康乐养老服务中心", T.address(rng), 80, T.cn_date(formed)],
        ]
        body = T.p("现将新备案的养老机构信息公布如下：") + T.table(rows)
        title = "新备案养老机构信息公示"
        out.append(_base(filing, "list", title, body, formed, status="submitted"))
    policy = find_item(items, EDITORIAL_AGENCY, "政策法规文件")
    if policy is not None:
        body = (
            T.p("各街道办事处：")
            + T.p("为确保困难群众温暖过冬，现就做好今冬明春困难群众基本生活保障工作通知如下：")
            + T.labelled("一、", "全面排查低保对象、特困人员和低保边缘家庭的生活状况。")
            + T.labelled("二、", "及时发放一次性生活补贴，落实临时救助“先行救助”。")
        )
        out.append(
            _base(
                policy,
                "policy",
                "关于做好今冬明春困难群众基本生活保障工作的通知（代拟稿）",
                body,
                formed,
                status="draft",
            )
        )
    enrol = find_item(items, "990171-jyj", "招生政策")
    if enrol is not None:
        body = (
            T.p("为做好义务教育阶段学校招生入学工作，现面向社会公开征求意见。")
            + T.labelled("一、招生对象　", "具有本区户籍或符合随迁子女入学条件的适龄儿童少年。")
            + T.labelled("二、招生方式　", "公办学校实行免试就近入学，民办学校与公办学校同步招生。")
        )
        out.append(
            _base(
                enrol,
                "policy",
                "关于义务教育阶段学校招生入学工作的通知（征求意见稿）",
                body,
                formed,
                status="draft",
            )
        )
    job = find_item(items, "990171-rsj", "职业培训")
    if job is not None:
        day = add_workdays(today, 3).date
        body = (
            T.p("为帮助就业困难人员和零就业家庭成员实现就业，现举办“就业援助月”专场招聘会。")
            + T.labelled("时间：", f"{T.cn_date(day)}上午9:00—12:00。")
            + T.labelled("地点：", f"{T.ZONE}人力资源市场（示范大道66号）。")
            + T.labelled("咨询电话：", T.phone(rng))
        )
        plan = _base(
            job, "notice", "关于举办“就业援助月”专场招聘会的公告", body, formed, status="scheduled"
        )
        plan.publish_at = local_time(add_workdays(today, 1).date, 9, 0)
        out.append(plan)
    return out


# --- carrying the plan out ----------------------------------------------------------------


def _clerk(report, agencies: Iterable[Agency]):
    User = get_user_model()
    clerk = User.objects.filter(username=CLERK).first()
    if clerk is None:
        clerk = User(username=CLERK, first_name="演示数据录入员", is_staff=False)
        clerk.set_unusable_password()  # loads data; nobody signs in as it
        clerk.save()
        report.add("users")
    for agency in agencies:
        if agency.code == EDITORIAL_AGENCY:
            continue
        _, made = Membership.objects.get_or_create(user=clerk, role=Role.EDITOR, agency=agency)
        if made:
            report.add("memberships")
    return clerk


def load_records(report, admin, editor, reviewer) -> None:
    """Create the demo records that are not there yet (see the module docstring)."""
    today = timezone.localdate()
    items = zone_items()
    agencies = {item.agency.code: item.agency for item in items}
    clerk = _clerk(report, agencies.values())
    existing = set(
        Record.objects.filter(agency__code__in=zone_codes()).values_list("item_id", "title")
    )
    for plan in build_plans(items, today):
        if (plan.item.pk, plan.title) in existing:
            continue
        if plan.agency.code == EDITORIAL_AGENCY:
            author, approver = editor, reviewer
        else:
            author, approver = clerk, admin
        attached = carry_out(plan, author, approver)
        report.add("records")
        report.add("attachments", attached)


def _past(moment: dt.datetime | None, now: dt.datetime) -> dt.datetime | None:
    # Plans are dated through November 2026; a clock behind that gets "a moment ago".
    if moment is None:
        return None
    return min(moment, now - dt.timedelta(minutes=5))


def carry_out(plan: Plan, author, approver) -> int:
    """Create one record and take it through the workflow to its planned status."""
    record = services.create_record(author, plan.item, **plan.fields())
    attached = 0
    if plan.attachment is not None:
        name, build = plan.attachment
        services.add_attachment(author, record, build(), name)
        attached = 1
    if plan.status == "draft":
        return attached
    if plan.status in ("submitted", "scheduled"):
        services.submit(author, record)
        if plan.status == "scheduled":
            services.schedule(approver, record, plan.publish_at, "演示数据：定时发布")
        return attached
    now = timezone.now()
    publish_at = _past(plan.publish_at, now)
    submit_at = min(_past(plan.submit_at, now), publish_at - dt.timedelta(minutes=30))
    services.submit(author, record, at=submit_at)
    services.approve(approver, record, at=publish_at)
    if plan.later_validity is not None:
        state, day, note = plan.later_validity
        services.set_validity(approver, record, state, day, note)
    if plan.withdraw is not None:
        at, reason = plan.withdraw
        services.withdraw(approver, record, reason, at=max(_past(at, now), publish_at))
    return attached


# --- reset ----------------------------------------------------------------------------------


def reset_records() -> None:
    """Remove the demo zone's records, their files, versions, counters and search entries
    (demo tooling only: the services never delete a record)."""
    from gongkai.disclosure.models import Attachment, IndexCounter
    from gongkai.disclosure.search import unindex_records

    records = Record.objects.filter(agency__code__in=zone_codes())
    ids = list(records.values_list("pk", flat=True))
    if not ids:
        return
    attachments = Attachment.objects.filter(record_id__in=ids)
    for attachment in attachments:
        attachment.file.delete(save=False)
    attachments.delete()
    _delete_links(ids)
    unindex_records(ids)
    Record.history.filter(id__in=ids).delete()
    records.delete()
    IndexCounter.objects.filter(agency__code__in=zone_codes()).delete()
    get_user_model().objects.filter(username=CLERK).delete()


def _delete_links(ids: list[int]) -> None:
    from gongkai.disclosure import models

    if hasattr(models, "PolicyLink"):
        models.PolicyLink.objects.filter(record_id__in=ids).delete()
