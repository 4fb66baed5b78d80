"""Disclosure records (公开信息) filed under catalog items, their attachments, and the
per-agency, per-year counters behind the index numbers (索引号).

A record is never deleted: it is withdrawn (with a reason) and every save is a version
(django-simple-history). Workflow fields change only through disclosure.services.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import F, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from gongkai.catalog.models import CatalogItem
from gongkai.core.fields import CodeSetField
from gongkai.org.models import Agency

from .vocabularies import STATUTORY_CATEGORIES, TOPICS


class RecordStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    SCHEDULED = "scheduled", "定时发布"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class Validity(models.TextChoices):
    VALID = "valid", "有效"
    EXPIRED = "expired", "失效"
    REPEALED = "repealed", "废止"


class Record(models.Model):
    item = models.ForeignKey(
        CatalogItem,
        verbose_name="目录事项",
        on_delete=models.PROTECT,
        related_name="records",
        limit_choices_to={"is_guideline": False},
    )
    # The item's agency, copied so permissions, counters and lists need no join.
    agency = models.ForeignKey(
        Agency, verbose_name="公开主体", on_delete=models.PROTECT, related_name="records"
    )
    title = models.CharField("标题", max_length=300)
    body = models.TextField("正文", blank=True, help_text="保存时自动清理不安全的HTML。")
    doc_number = models.CharField("文号", max_length=100, blank=True)
    issuer = models.CharField("发文机关", max_length=200, blank=True)
    written_on = models.DateField("成文日期", null=True, blank=True)
    formed_on = models.DateField(
        "信息形成日期", help_text="信息形成或者变更之日，公开时限由此起算（当日不计）。"
    )
    published_on = models.DateField("发布日期", null=True, blank=True, editable=False)
    topic = models.CharField("主题分类", max_length=30, choices=TOPICS, blank=True)
    categories = CodeSetField(
        "法定主动公开内容", vocabulary=STATUTORY_CATEGORIES, help_text="条例第二十条所列类别"
    )
    is_normative = models.BooleanField("规范性文件", default=False)
    validity = models.CharField("效力状态", max_length=10, choices=Validity.choices, blank=True)
    validity_date = models.DateField(
        "效力状态日期", null=True, blank=True, help_text="施行、失效或废止的日期"
    )

    # 索引号 {agency code}-{year}-{sequence}: allocated at publication (indexnumber.py).
    index_number = models.CharField(
        "索引号", max_length=60, unique=True, null=True, blank=True, editable=False
    )

    status = models.CharField(
        "状态", max_length=12, choices=RecordStatus.choices, default=RecordStatus.DRAFT
    )
    publish_at = models.DateTimeField("定时发布时间", null=True, blank=True, editable=False)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    review_note = models.TextField("审核意见", blank=True, editable=False)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True, editable=False)
    withdraw_reason = models.TextField("撤回理由", blank=True, editable=False)

    # Timeliness: stored when computed (timeliness.py), so a later calendar edit does not
    # move a deadline silently; recomputed only on the events listed in services.
    due_on = models.DateField("公开期限", null=True, blank=True, editable=False)
    due_basis = models.CharField("期限依据", max_length=300, blank=True, editable=False)
    due_provisional = models.BooleanField(
        "期限为暂定", default=False, editable=False, help_text="节假日安排尚未录入，仅按周末推算"
    )
    due_computed_at = models.DateTimeField("期限计算时间", null=True, blank=True, editable=False)

    # Privacy screen (privacy/screen.py) over title, body and attachments.
    screen_findings = models.JSONField("筛查发现", default=list, blank=True, editable=False)
    screen_warnings = models.JSONField("筛查提示", default=list, blank=True, editable=False)
    screened_at = models.DateTimeField("筛查时间", null=True, blank=True, editable=False)
    screen_override = models.JSONField(
        "筛查放行", default=dict, blank=True, editable=False
    )  # {"by", "at", "reason", "digest"}: valid only for the findings it was given for

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(
        verbose_name="公开信息版本",
        excluded_fields=["updated_at"],
        user_related_name="+",
        no_db_index=[
            "item",
            "agency",
            "created_by",
            "submitted_by",
            "reviewed_by",
            "status",
            "index_number",
        ],
    )

    class Meta:
        verbose_name = "公开信息"
        verbose_name_plural = "公开信息"
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["status", "publish_at"]),
            models.Index(fields=["item", "status", "published_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(validity="") | Q(is_normative=True),
                name="record_validity_only_normative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        # The portal's record page belongs to the portal app; until it is registered the
        # address is the one it will have.
        try:
            return reverse("portal:record", args=[self.pk])
        except NoReverseMatch:
            return f"/records/{self.pk}/"

    def clean(self) -> None:
        errors = {}
        if self.validity and not self.is_normative:
            errors["validity"] = "只有规范性文件才有效力状态。"
        if self.is_normative and not self.validity:
            errors["validity"] = "规范性文件须标明效力状态（有效、失效或废止）。"
        if self.validity in (Validity.EXPIRED, Validity.REPEALED) and not self.validity_date:
            errors["validity_date"] = "失效或废止的规范性文件须填写失效、废止日期。"
        if self.written_on and self.formed_on and self.written_on > self.formed_on:
            errors["formed_on"] = "信息形成日期不能早于成文日期。"
        if self.item_id and self.item.is_guideline:
            errors["item"] = "公开信息须归入本机关的目录事项，不能归入标准指引。"
        if errors:
            raise ValidationError(errors)

    # --- timeliness (stored due date; lateness measured against it) ------------------

    def late_on(self, today: dt.date | None = None) -> bool:
        """Published after the due date — or, unpublished, still not out by `today`."""
        if not self.due_on or (self.status == RecordStatus.WITHDRAWN and not self.published_on):
            return False
        return (self.published_on or today or timezone.localdate()) > self.due_on

    def days_late_on(self, today: dt.date | None = None) -> int:
        """Working days after the due date up to publication (or `today`); 0 when on time."""
        if not self.late_on(today):
            return 0
        from gongkai.core.workdays import workdays_between

        end = self.published_on or today or timezone.localdate()
        return workdays_between(self.due_on, end).days

    @property
    def is_late(self) -> bool:
        return self.late_on()

    @property
    def days_late(self) -> int:
        return self.days_late_on()

    @classmethod
    def late_q(cls, today: dt.date | None = None) -> Q:
        """Records past their due date: published after it, or not published by `today`."""
        today = today or timezone.localdate()
        published_late = Q(published_on__isnull=False, published_on__gt=F("due_on"))
        still_due = Q(published_on__isnull=True, due_on__lt=today) & ~Q(
            status=RecordStatus.WITHDRAWN
        )
        return Q(due_on__isnull=False) & (published_late | still_due)

    # --- the privacy screen -------------------------------------------------------------

    @property
    def screen_blocks(self) -> bool:
        """Findings stand and no override was given for exactly these findings."""
        from .screening import digest

        if not self.screen_findings:
            return False
        return (self.screen_override or {}).get("digest") != digest(self.screen_findings)

    def body_text(self) -> str:
        from .sanitize import html_to_text

        return html_to_text(self.body)

    def topic_label(self) -> str:
        return dict(TOPICS).get(self.topic, "")

    def category_labels(self) -> list[str]:
        return [dict(STATUTORY_CATEGORIES).get(c, c) for c in self.categories]


def attachment_path(instance: Attachment, filename: str) -> str:
    """Stored under a random name: the uploader's file name is display text only."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    today = timezone.localdate()
    return f"disclosure/{today:%Y}/{today:%m}/{uuid.uuid4().hex}.{ext}"


class Attachment(models.Model):
    record = models.ForeignKey(
        Record, verbose_name="公开信息", on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField("文件", upload_to=attachment_path, max_length=200)
    original_name = models.CharField("文件名", max_length=255)
    size = models.PositiveBigIntegerField("大小（字节）")
    kind = models.CharField("类型", max_length=10)
    content_type = models.CharField("内容类型", max_length=100)
    sha256 = models.CharField("SHA-256", max_length=64)
    extracted_text = models.TextField("提取的文字", blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.original_name


class IndexCounter(models.Model):
    """The last sequence number given out for one agency in one year (row-locked)."""

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用序号", default=0)

    class Meta:
        verbose_name = "索引号计数器"
        verbose_name_plural = "索引号计数器"
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="index_counter_agency_year")
        ]

    def __str__(self) -> str:
        return f"{self.agency.code} {self.year}：{self.last}"


# --- the disclosure column (政府信息公开专栏) and the item's linkages --------------------
#
# The column follows 国办公开办函〔2019〕61号: 政府信息公开指南, 政府信息公开制度,
# 法定主动公开内容 (records by Art. 20 category), 政府信息公开年报 and 依申请公开.
# Texts edited in the back office are sanitised on every save (model.save, so no path
# can store unsafe markup) and rendered as they are stored.

COLUMN_PAGE_SLUGS: tuple[tuple[str, str], ...] = (
    ("guide", "政府信息公开指南"),
    ("rules", "政府信息公开制度"),
)
# Addresses of the column's own sub-pages: a ColumnPage may not take them.
RESERVED_COLUMN_SLUGS = frozenset({"statutory", "reports", "apply", "agencies", "records"})


def _validate_column_slug(value: str) -> None:
    if value in RESERVED_COLUMN_SLUGS:
        raise ValidationError(f"“{value}”是专栏保留的地址，请换一个页面标识。")


class ColumnPage(models.Model):
    """A text page of the column (指南, 制度, …) for the whole government or one agency."""

    slug = models.SlugField(
        "页面标识",
        max_length=40,
        validators=[_validate_column_slug],
        help_text="guide = 政府信息公开指南，rules = 政府信息公开制度；"
        "其他标识为专栏中的自定义页面。",
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文", blank=True, help_text="保存时自动清理不安全的HTML。")
    agency = models.ForeignKey(
        Agency,
        verbose_name="机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="column_pages",
        help_text="留空表示本级人民政府（管委会）整体的页面。",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更新人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords(
        verbose_name="专栏页面版本", user_related_name="+", no_db_index=["agency", "updated_by"]
    )

    class Meta:
        verbose_name = "信息公开专栏页面"
        verbose_name_plural = "信息公开专栏页面"
        ordering = ["sort_order", "id"]
        # NULL agencies are distinct in a plain unique index: one partial index per case.
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], condition=Q(agency__isnull=True), name="column_page_slug_gov"
            ),
            models.UniqueConstraint(
                fields=["agency", "slug"],
                condition=Q(agency__isnull=False),
                name="column_page_slug_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency}：{self.title}" if self.agency_id else self.title

    def save(self, *args, **kwargs):
        from .sanitize import sanitize_html

        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        if self.agency_id:
            return reverse("portal:xxgk_agency_page", args=[self.agency.code, self.slug])
        return reverse("portal:xxgk_page", args=[self.slug])


def report_path(instance: AnnualReport, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"reports/{instance.year}/{uuid.uuid4().hex}.{ext}"


class AnnualReport(models.Model):
    """政府信息公开工作年度报告: a text, a file (pdf/docx) or both; shown once published.

    A slot for now: the reports are written or uploaded in the back office; issue 6 will
    generate them from the records and the requests."""

    agency = models.ForeignKey(
        Agency,
        verbose_name="机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="annual_reports",
        help_text="留空表示本级人民政府（管委会）的年度报告。",
    )
    year = models.PositiveSmallIntegerField(
        "年度",
        validators=[MinValueValidator(2008), MaxValueValidator(2100)],
        help_text="报告所述年度（如2025年度报告于2026年1月—3月发布）。",
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文", blank=True, help_text="保存时自动清理不安全的HTML。")
    file = models.FileField("报告文件", upload_to=report_path, max_length=200, blank=True)
    original_name = models.CharField("文件名", max_length=255, blank=True)
    size = models.PositiveBigIntegerField("大小（字节）", null=True, blank=True)
    content_type = models.CharField("内容类型", max_length=100, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    is_published = models.BooleanField("已发布", default=False)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "政府信息公开年度报告"
        verbose_name_plural = "政府信息公开年度报告"
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"], condition=Q(agency__isnull=True), name="annual_report_year_gov"
            ),
            models.UniqueConstraint(
                fields=["agency", "year"],
                condition=Q(agency__isnull=False),
                name="annual_report_year_agency",
            ),
            # A published report has something to read.
            models.CheckConstraint(
                condition=Q(is_published=False) | ~Q(body="") | ~Q(file=""),
                name="annual_report_published_has_content",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        from .sanitize import sanitize_html

        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("portal:xxgk_report", args=[self.pk])

    @property
    def file_label(self) -> str:
        return {"pdf": "PDF", "docx": "Word"}.get(self.original_name.rsplit(".", 1)[-1].lower(), "")


def _http_url(value: str) -> None:
    URLValidator(schemes=["http", "https"], message="请输入以 http:// 或 https:// 开头的网址。")(
        value
    )


class ServiceLink(models.Model):
    """An online service item (在线办事) on the government service platform, linked from a
    catalog item's page (五关联: 公开事项 ↔ 政务服务事项)."""

    item = models.ForeignKey(
        CatalogItem,
        verbose_name="目录事项",
        on_delete=models.CASCADE,
        related_name="service_links",
        limit_choices_to={"is_guideline": False},
    )
    name = models.CharField("办事事项名称", max_length=200)
    url = models.URLField(
        "办理地址",
        max_length=500,
        validators=[_http_url],
        help_text="政务服务平台上该事项的网址（http 或 https）。",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "在线办事链接"
        verbose_name_plural = "在线办事链接"
        ordering = ["sort_order", "id"]
        constraints = [
            # Belt and braces for the validator: never a javascript: or data: address.
            models.CheckConstraint(
                condition=Q(url__startswith="http://") | Q(url__startswith="https://"),
                name="service_link_http_only",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PolicyLink(models.Model):
    """A policy document (a record, of any agency) that a catalog item rests on.

    The item page's 政策文件 are the published normative records filed under the item plus
    the published records linked here — e.g. the county's 实施办法 for a township's item."""

    item = models.ForeignKey(
        CatalogItem,
        verbose_name="目录事项",
        on_delete=models.CASCADE,
        related_name="policy_links",
        limit_choices_to={"is_guideline": False},
    )
    record = models.ForeignKey(
        Record, verbose_name="政策文件", on_delete=models.PROTECT, related_name="policy_links"
    )
    sort_order = models.PositiveIntegerField("排序", default=0)
    created_at = models.DateTimeField("关联时间", auto_now_add=True)

    class Meta:
        verbose_name = "政策文件关联"
        verbose_name_plural = "政策文件关联"
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "record"], name="policy_link_item_record")
        ]

    def __str__(self) -> str:
        return f"{self.item} ← {self.record}"
