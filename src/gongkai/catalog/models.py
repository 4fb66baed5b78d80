"""The standard catalog: domains and catalog items with the nine elements.

An item's nine elements: 事项名称 (level1/level2/level3), 公开内容, 公开依据, 公开时限,
公开主体, 公开渠道和载体, 公开对象, 公开方式, 公开层级. Guideline items (标准指引) are
items owned by a national department; an agency's own item keeps a link to the
guideline item it adopted. Every save is a version (django-simple-history).
"""

from collections.abc import Callable

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from gongkai.core.fields import CodeSetField
from gongkai.org.models import Agency

from .timelimits import parse_time_limit
from .vocabularies import AUDIENCES, CHANNELS, LEVELS, MODES


class Domain(models.Model):
    code = models.SlugField("领域代码", max_length=40, unique=True)
    name = models.CharField("领域名称", max_length=50, unique=True)
    aliases = models.JSONField("别名", default=list, blank=True)
    is_standard = models.BooleanField("26个试点领域", default=False)
    sort_order = models.PositiveIntegerField("排序", default=100)
    description = models.TextField("说明", blank=True)
    guideline_issuer = models.CharField("标准指引制定部门", max_length=100, blank=True)

    class Meta:
        verbose_name = "公开领域"
        verbose_name_plural = "公开领域"
        ordering = ["-is_standard", "sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:domain", args=[self.code])


class ItemStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    PUBLISHED = "published", "已发布"
    RETIRED = "retired", "已停用"


class CatalogItem(models.Model):
    agency = models.ForeignKey(
        Agency,
        verbose_name="编制单位",
        on_delete=models.PROTECT,
        related_name="catalog_items",
        db_index=False,  # the (agency, status) index serves agency lookups
    )
    domain = models.ForeignKey(
        Domain, verbose_name="公开领域", on_delete=models.PROTECT, related_name="items"
    )
    is_guideline = models.BooleanField("标准指引事项", default=False)
    guideline = models.ForeignKey(
        "self",
        verbose_name="对应标准指引事项",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adoptions",
        limit_choices_to={"is_guideline": True},
    )
    code = models.CharField("事项编码", max_length=32, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    # 1. 公开事项名称
    level1 = models.CharField("一级事项", max_length=200, blank=True)
    level2 = models.CharField("二级事项", max_length=200)
    level3 = models.CharField("三级事项", max_length=200, blank=True)
    # 2. 公开内容（要素）
    content = models.TextField("公开内容（要素）", blank=True)
    # 3. 公开依据
    basis = models.TextField("公开依据", blank=True)
    basis_documents = models.JSONField("依据文件", default=list, blank=True)
    # 4. 公开时限: the phrase as written, plus the parsed rule (never guessed).
    time_limit_text = models.CharField("公开时限", max_length=500, blank=True)
    time_limit = models.JSONField("公开时限（解析）", default=dict, blank=True, editable=False)
    time_limit_kind = models.CharField(
        "时限类型", max_length=20, default="unparsed", editable=False
    )
    # 5. 公开主体
    subject_agency = models.ForeignKey(
        Agency,
        verbose_name="公开主体（机关）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subject_items",
        db_index=False,
    )
    subject_text = models.CharField("公开主体", max_length=300, blank=True)
    # 6. 公开渠道和载体
    channels = CodeSetField("公开渠道和载体", vocabulary=CHANNELS)
    channels_other = models.CharField("其他渠道", max_length=500, blank=True)
    # 7. 公开对象
    audience = CodeSetField("公开对象", vocabulary=AUDIENCES)
    audience_note = models.CharField("特定群体说明", max_length=200, blank=True)
    # 8. 公开方式
    mode = CodeSetField("公开方式", vocabulary=MODES)
    # 9. 公开层级
    levels = CodeSetField("公开层级", vocabulary=LEVELS)

    status = models.CharField(
        "状态",
        max_length=16,
        choices=ItemStatus.choices,
        default=ItemStatus.DRAFT,
    )  # indexed together with domain and with agency (Meta.indexes)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # never filtered on; an index would only slow imports
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # never filtered on; an index would only slow imports
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # never filtered on; an index would only slow imports
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, db_index=True)
    retired_at = models.DateTimeField("停用时间", null=True, blank=True)
    review_note = models.TextField("审核意见", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    # Versions are looked up by item id and date; other indexes on the (large, append-only)
    # history table would only slow every write down.
    history = HistoricalRecords(
        verbose_name="目录事项版本",
        excluded_fields=["updated_at"],
        user_related_name="+",
        no_db_index=[
            "agency",
            "domain",
            "guideline",
            "subject_agency",
            "created_by",
            "submitted_by",
            "reviewed_by",
            "is_guideline",
            "time_limit_kind",
            "status",
            "published_at",
        ],
    )

    class Meta:
        verbose_name = "目录事项"
        verbose_name_plural = "目录事项"
        ordering = ["domain__sort_order", "sort_order", "level1", "level2", "id"]
        indexes = [
            models.Index(fields=["status", "domain"]),
            models.Index(fields=["agency", "status"]),
        ]

    def __str__(self) -> str:
        name = " / ".join(p for p in (self.level1, self.level2, self.level3) if p)
        return name or f"事项 {self.pk}"

    def save(self, *args, **kwargs):
        # The parsed rule is derived from the phrase: keep them together on every save.
        self.refresh_time_limit()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("portal:item", args=[self.pk])

    @staticmethod
    def url_formatter() -> Callable[[int], str]:
        """pk → the item's address, with one reverse() for many items (bulk indexing,
        change events): the addresses differ only by their id."""
        marker = 987654321
        return reverse("portal:item", args=[marker]).replace(str(marker), "{}").format

    @property
    def name(self) -> str:
        return str(self)

    @property
    def is_public(self) -> bool:
        return self.status == ItemStatus.PUBLISHED

    def parsed_time_limit(self):
        from .timelimits import TimeLimit

        return TimeLimit.from_dict(self.time_limit) if self.time_limit else parse_time_limit("")

    def refresh_time_limit(self) -> None:
        parsed = parse_time_limit(self.time_limit_text)
        self.time_limit = parsed.to_dict()
        self.time_limit_kind = parsed.kind

    # Display helpers for templates and exports.
    def channel_labels(self) -> list[str]:
        labels = [dict(CHANNELS).get(c, c) for c in self.channels if c != "other"]
        if "other" in self.channels:
            labels.append("其他：" + self.channels_other if self.channels_other else "其他")
        elif self.channels_other:
            labels.append(self.channels_other)  # e.g. the website's address as written
        return labels

    def audience_labels(self) -> list[str]:
        return [dict(AUDIENCES).get(c, c) for c in self.audience]

    def mode_labels(self) -> list[str]:
        return [dict(MODES).get(c, c) for c in self.mode]

    def level_labels(self) -> list[str]:
        return [dict(LEVELS).get(c, c) for c in self.levels]

    def elements(self) -> dict:
        """The nine elements as plain data (for diffs, exports and the audit log)."""
        return {
            "level1": self.level1,
            "level2": self.level2,
            "level3": self.level3,
            "content": self.content,
            "basis": self.basis,
            "basis_documents": list(self.basis_documents or []),
            "time_limit_text": self.time_limit_text,
            "subject_text": self.subject_text,
            "subject_agency": self.subject_agency.code if self.subject_agency_id else None,
            "channels": list(self.channels),
            "channels_other": self.channels_other,
            "audience": list(self.audience),
            "audience_note": self.audience_note,
            "mode": list(self.mode),
            "levels": list(self.levels),
        }


class GuidelineExclusion(models.Model):
    """An agency's stated reason for not adopting a guideline item (不适用/不涉及…)."""

    agency = models.ForeignKey(
        Agency, verbose_name="机关", on_delete=models.CASCADE, related_name="guideline_exclusions"
    )
    guideline_item = models.ForeignKey(
        CatalogItem,
        verbose_name="标准指引事项",
        on_delete=models.CASCADE,
        related_name="exclusions",
        limit_choices_to={"is_guideline": True},
    )
    reason = models.TextField("不纳入理由")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("填报时间", auto_now_add=True)

    class Meta:
        verbose_name = "未纳入的指引事项"
        verbose_name_plural = "未纳入的指引事项"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "guideline_item"], name="exclusion_unique_agency_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency}：{self.guideline_item}"
