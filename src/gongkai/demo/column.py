"""Demo content of the disclosure column (政府信息公开专栏) and the items' linkages,
written through gongkai.disclosure.column's services (permissions, sanitising, audit):

* 政府信息公开指南 and 政府信息公开制度 of the zone (the 管委会 as a whole) and 民政局's guide;
* the 2025 annual reports (政府信息公开工作年度报告) of the zone and of 民政局, with a PDF;
* online service links (在线办事) to the national government service platform on a few
  service items, and policy links from the streets' items to the county's documents.

Idempotent: pages by slug and agency, reports by agency and year, links by item and name.
"""

from __future__ import annotations

from gongkai.catalog.models import CatalogItem
from gongkai.disclosure import column
from gongkai.disclosure.models import (
    AnnualReport,
    ColumnPage,
    PolicyLink,
    Record,
    RecordStatus,
    ServiceLink,
)
from gongkai.org.models import Agency

from . import files
from . import texts as T

OFFICE = "示范经济开发区管委会党政办公室（政务公开办公室）"
ADDRESS = "示范经济开发区示范大道1号"
OFFICE_PHONE = "0999-66120000"
PLATFORM = "https://www.gjzwfw.gov.cn/"

GUIDE = (
    T.p(
        "为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》（以下简称"
        "《条例》），编制本指南。申请人如需获得示范经济开发区管委会及其工作部门的政府信息"
        "公开服务，请阅读本指南。"
    )
    + "<h3>一、主动公开</h3>"
    + T.labelled(
        "（一）公开范围。",
        "《条例》第十九条、第二十条规定应当主动公开的政府信息，以及依照《条例》第四十四条"
        "确定为主动公开的政府信息。具体内容见本网站“法定主动公开内容”和各部门、各领域的"
        "基层政务公开标准目录。",
    )
    + T.labelled(
        "（二）公开方式。",
        "以政府网站为第一公开平台，同时通过政务新媒体、政务服务中心、社区（村）公开栏、"
        "档案馆和公共图书馆查阅点等途径公开。",
    )
    + T.labelled(
        "（三）公开时限。",
        "属于主动公开范围的政府信息，自形成或者变更之日起20个工作日内予以公开；法律、法规"
        "对公开期限另有规定的，从其规定。",
    )
    + "<h3>二、依申请公开</h3>"
    + T.labelled(
        "（一）受理机构。",
        f"{OFFICE}，地址：{ADDRESS}，办公时间：工作日上午9:00—12:00，下午13:30—17:00，"
        f"联系电话：{OFFICE_PHONE}。各工作部门负责受理向本部门提出的申请。",
    )
    + T.labelled(
        "（二）申请方式。",
        "申请人可以通过本网站在线申请、信函或者当面提交书面申请。采用书面形式确有困难的，"
        "可以口头提出，由受理机构代为填写申请。",
    )
    + T.labelled(
        "（三）办理时限。",
        "能够当场答复的，当场予以答复；不能当场答复的，自收到申请之日起20个工作日内予以答复；"
        "需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长"
        "不超过20个工作日。",
    )
    + T.labelled(
        "（四）收费。",
        "提供政府信息不收取费用。申请人申请公开政府信息的数量、频次明显超过合理范围的，"
        "按照《政府信息公开信息处理费管理办法》收取信息处理费。",
    )
    + "<h3>三、监督和救济</h3>"
    + T.p(
        "公民、法人或者其他组织认为行政机关在政府信息公开工作中侵犯其合法权益的，可以向"
        "示范市人民政府政务公开办公室投诉、举报，也可以依法申请行政复议或者提起行政诉讼。"
    )
)

RULES = (
    T.p("示范经济开发区按照《中华人民共和国政府信息公开条例》建立健全以下工作制度：")
    + T.table(
        [
            ["制度名称", "主要内容"],
            ["主动公开制度", "编制并动态调整基层政务公开标准目录，明确公开主体、时限和渠道。"],
            ["依申请公开制度", "规范申请的受理、登记、办理、答复和归档，统一答复文书格式。"],
            ["公开前审查制度", "公开前进行保密审查和个人信息筛查，涉及个人隐私的依法处理。"],
            ["政策解读制度", "重要政策文件与解读材料同步组织、同步审签、同步发布。"],
            ["信息发布协调制度", "涉及其他机关的政府信息，公开前进行沟通确认。"],
            ["年度报告制度", "每年1月31日前公布上一年度政府信息公开工作年度报告。"],
            ["考核评议和责任追究制度", "将政务公开纳入绩效考核，对违法违规行为依法追责。"],
        ]
    )
    + T.p("各项制度由管委会党政办公室（政务公开办公室）负责解释，自印发之日起施行。")
)

MZJ_GUIDE = (
    T.p(
        "示范经济开发区民政局政府信息公开工作接受管委会政务公开办公室的指导。本局主动公开"
        "社会救助、养老服务等领域的政府信息，详见本局基层政务公开标准目录。"
    )
    + T.labelled(
        "依申请公开受理机构：", "示范经济开发区民政局办公室，电话0999-66120300，示范大道18号。"
    )
    + T.labelled("办理时限：", "自收到申请之日起20个工作日内答复，延长不超过20个工作日。")
)


def _report_body(whose: str, numbers: dict[str, int]) -> str:
    return (
        T.p(
            "本报告根据《中华人民共和国政府信息公开条例》和《国务院办公厅政府信息与政务公开"
            "办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》"
            "（国办公开办函〔2021〕30号）编制，报告所列数据统计期限自2025年1月1日起至"
            "2025年12月31日止。"
        )
        + "<h3>一、总体情况</h3>"
        + T.p(
            f"2025年，{whose}深入推进基层政务公开标准化规范化建设，全年主动公开政府信息"
            f"{numbers['proactive']}条，收到政府信息公开申请{numbers['requests']}件，均在法定"
            "期限内答复。"
        )
        + "<h3>二、主动公开政府信息情况</h3>"
        + T.table(
            [
                ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                ["规章", 0, 0, 0],
                ["行政规范性文件", numbers["normative"], 1, numbers["normative"] + 6],
            ]
        )
        + "<h3>三、收到和处理政府信息公开申请情况</h3>"
        + T.table(
            [
                ["项目", "件数"],
                ["本年新收政府信息公开申请", numbers["requests"]],
                ["予以公开", numbers["requests"] - 3],
                ["部分公开", 1],
                ["不予公开", 1],
                ["本机关不掌握相关政府信息", 1],
            ]
        )
        + "<h3>四、政府信息公开行政复议、行政诉讼情况</h3>"
        + T.p("本年度未发生因政府信息公开引起的行政复议和行政诉讼。")
        + "<h3>五、存在的主要问题及改进情况</h3>"
        + T.p("部分领域信息更新不够及时。下一步将依托标准目录和公开时限提醒，按时公开。")
        + "<h3>六、其他需要报告的事项</h3>"
        + T.p("本年度未收取信息处理费。")
    )


def _report_pdf(title: str, body_html: str) -> bytes:
    from gongkai.disclosure.sanitize import html_to_text

    return files.make_pdf(title, html_to_text(body_html).splitlines())


def load_column(report, admin) -> None:
    """The column's pages, reports and the items' links (see the module docstring)."""
    mzj = Agency.objects.filter(code="990171-mzj").first()
    pages = [
        (None, "guide", "政府信息公开指南", GUIDE, 1),
        (None, "rules", "政府信息公开制度", RULES, 2),
        (mzj, "guide", "示范经济开发区民政局政府信息公开指南", MZJ_GUIDE, 1),
    ]
    for agency, slug, title, body, order in pages:
        if ColumnPage.objects.filter(slug=slug, agency=agency).exists():
            continue
        column.save_column_page(
            admin, slug=slug, title=title, body=body, agency=agency, sort_order=order
        )
        report.add("column_pages")
    for agency, whose, numbers in (
        (None, T.ZONE, {"proactive": 1268, "requests": 21, "normative": 9}),
        (mzj, "示范经济开发区民政局", {"proactive": 216, "requests": 6, "normative": 2}),
    ):
        if AnnualReport.objects.filter(agency=agency, year=2025).exists():
            continue
        title = f"{whose}2025年政府信息公开工作年度报告"
        body = _report_body(whose, numbers)
        column.save_annual_report(
            admin,
            agency=agency,
            year=2025,
            title=title,
            body=body,
            is_published=True,
            file_data=_report_pdf(title, body),
            file_name=f"{title}.pdf",
        )
        report.add("annual_reports")
    _service_links(report, admin)
    _policy_links(report, admin)


# (agency, words in the item's level2 or level1, service name, platform path)
SERVICES = (
    ("990171-mzj", "办事指南", "最低生活保障审核确认", "990171000MZJ001"),
    ("990171-mzj", "养老机构备案", "养老机构备案", "990171000MZJ014"),
    ("990171-cgj", "燃气经营许可证核发", "燃气经营许可证核发", "990171000CGJ003"),
    ("990171-gaj", "出生登记", "出生登记（户口登记）", "990171000GAJ021"),
    ("990171-rsj", "城乡居民养老保险参保登记", "城乡居民养老保险参保登记", "990171000RSJ105"),
    ("990171-scj", "食品生产经营许可服务指南", "食品经营许可", "990171000SCJ007"),
)


def _service_links(report, admin) -> None:
    for code, words, name, item_code in SERVICES:
        item = (
            CatalogItem.objects.filter(agency__code=code, is_guideline=False, level2=words).first()
            or CatalogItem.objects.filter(
                agency__code=code, is_guideline=False, level2__contains=words
            ).first()
        )
        if item is None or ServiceLink.objects.filter(item=item, name=name).exists():
            continue
        url = f"{PLATFORM}fwmh/bszn/bsznPage.do?itemCode={item_code}"
        column.save_service_link(admin, item=item, name=name, url=url, sort_order=1)
        report.add("service_links")


def _policy_links(report, admin) -> None:
    """The streets' items rest on the county departments' documents of the same domain."""
    streets = ("990171-dh", "990171-xs")
    normative = Record.objects.filter(
        is_normative=True, status=RecordStatus.PUBLISHED, validity="valid"
    ).exclude(agency__code__in=streets)
    items = CatalogItem.objects.filter(
        agency__code__in=streets, is_guideline=False, level2__contains="政策"
    ).select_related("domain", "agency")
    for item in items.order_by("agency__code", "pk"):
        document = normative.filter(item__domain=item.domain).order_by("published_at").first()
        if document is None or PolicyLink.objects.filter(item=item, record=document).exists():
            continue
        column.link_policy(admin, item, document)
        report.add("policy_links")
