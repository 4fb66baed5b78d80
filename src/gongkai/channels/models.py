"""The outbox of public changes (变更记录) and the webhooks that carry it to business systems.

`ChangeEvent` is append-only and its auto id is the order: the change feed's cursor, the
feeds' "what changed" and the webhook deliveries all read it. Events are written by the
services that change public state, in the same transaction (outbox.py).
"""

import secrets

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone

from gongkai.core.fields import CodeSetField


class EventKind(models.TextChoices):
    ITEM = "item", "目录事项"
    RECORD = "record", "公开信息"


class EventAction(models.TextChoices):
    CREATED = "created", "新增"
    UPDATED = "updated", "更新"
    RETIRED = "retired", "下线"


class ChangeEvent(models.Model):
    """One change of what the public sees: an object appeared, changed or left the site.

    Only public facts are kept (title and address as published); never a body."""

    kind = models.CharField("对象类型", max_length=10, choices=EventKind.choices)
    object_id = models.PositiveBigIntegerField("对象编号")
    action = models.CharField("变更类型", max_length=10, choices=EventAction.choices)
    title = models.CharField("标题", max_length=500)
    url = models.CharField("地址", max_length=500, help_text="站内路径")
    agency_code = models.CharField("机关代码", max_length=64, blank=True)
    domain_code = models.CharField("领域代码", max_length=40, blank=True)
    occurred_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "变更记录"
        verbose_name_plural = "变更记录"
        ordering = ["id"]
        indexes = [
            models.Index(fields=["kind", "object_id"], name="change_object"),
            models.Index(fields=["agency_code", "id"], name="change_agency"),
            models.Index(fields=["domain_code", "id"], name="change_domain"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.get_kind_display()} {self.title}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("变更记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("变更记录只能追加，不能删除。")

    @property
    def topic(self) -> str:
        """The event name sent to webhooks, e.g. "item.created"."""
        return f"{self.kind}.{self.action}"


def new_secret() -> str:
    return secrets.token_hex(32)


class WebhookEndpoint(models.Model):
    """A business system that wants to hear about public changes (推送地址)."""

    name = models.CharField("名称", max_length=100)
    url = models.URLField("推送地址", max_length=500, help_text="接收 POST 请求的 http(s) 地址")
    secret = models.CharField(
        "签名密钥",
        max_length=128,
        default=new_secret,
        help_text="用于 HMAC-SHA256 签名（X-Gongkai-Signature），请同样配置在接收方。",
    )
    active = models.BooleanField("启用", default=True)
    kinds = CodeSetField(
        "对象类型",
        vocabulary=tuple(EventKind.choices),
        help_text="只推送所选类型的变更；不选则全部推送。",
    )
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name="限定机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="只推送该机关的变更；不选则全部推送。",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "推送接口"
        verbose_name_plural = "推送接口"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "待推送"
    SUCCEEDED = "succeeded", "成功"
    FAILED = "failed", "失败待重试"
    DEAD = "dead", "已放弃"


class WebhookDelivery(models.Model):
    """One event to one endpoint, with its attempts (webhooks.py sends and retries)."""

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name="推送接口",
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event = models.ForeignKey(
        ChangeEvent, verbose_name="变更", on_delete=models.PROTECT, related_name="deliveries"
    )
    status = models.CharField(
        "状态", max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次推送时间", null=True, blank=True)
    last_attempt_at = models.DateTimeField("最近推送时间", null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField("最近响应状态码", null=True, blank=True)
    last_error = models.TextField("最近错误", blank=True, default="")
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "推送记录"
        verbose_name_plural = "推送记录"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="delivery_once"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.endpoint} · {self.event}"
