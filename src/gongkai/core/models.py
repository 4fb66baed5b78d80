"""The append-only audit log: who did what, when, with the before and after."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class AuditEntry(models.Model):
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField("操作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64, db_index=True)
    object_id = models.CharField("对象编号", max_length=64, db_index=True)
    object_repr = models.CharField("对象", max_length=255, blank=True)
    agency_code = models.CharField("机关代码", max_length=64, blank=True, db_index=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("审计日志只能追加，不能删除。")


class CalendarDay(models.Model):
    """One date whose status the administrator has entered: a day off or an adjusted
    working day (调休上班). It overrides chinesecalendar for that date."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "放假"
        WORKDAY = "workday", "上班"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    name = models.CharField("节日", max_length=50, blank=True, help_text="如：国庆节")
    note = models.CharField("备注", max_length=255, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "节假日与调休日"
        verbose_name_plural = "节假日与调休日"
        ordering = ["date"]

    def __str__(self) -> str:
        label = self.get_kind_display()
        return f"{self.date:%Y-%m-%d} {self.name}{label}" if self.name else f"{self.date} {label}"


class CalendarYear(models.Model):
    """A year's State Council holiday notice as entered. `complete` marks the year as
    known: its dates without a CalendarDay row are ordinary (weekday work, weekend rest)
    rather than a provisional weekends-only estimate."""

    year = models.PositiveSmallIntegerField(
        "年度", unique=True, validators=[MinValueValidator(1950), MaxValueValidator(9998)]
    )
    complete = models.BooleanField(
        "已完整录入",
        default=True,
        help_text="勾选后，该年度未录入的日期按普通工作日/周末计算，不再标为临时结果。",
    )
    notice = models.CharField("通知名称或文号", max_length=200, blank=True)
    url = models.URLField("通知网址", max_length=500, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "年度节假日安排"
        verbose_name_plural = "年度节假日安排"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年"
