"""Administrative divisions, agencies, and who works for which agency in which role.

Divisions are keyed by their statutory code (GB/T 2260 six digits; the 12-digit
statistical code below county). Each division stores `prefix`, the significant
part of its code for its level, so a whole subtree is `prefix__startswith`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

# Significant digits of a code at each level: 11 / 1101 / 110101 / 110101001 / 110101001001.
LEVEL_PREFIX_LENGTH = {
    "national": 0,
    "province": 2,
    "city": 4,
    "county": 6,
    "township": 9,
    "village": 12,
}


class DivisionLevel(models.TextChoices):
    NATIONAL = "national", "国家"
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    TOWNSHIP = "township", "乡级"
    VILLAGE = "village", "村级"


def code_prefix(code: str, level: str) -> str:
    return code[: LEVEL_PREFIX_LENGTH[level]]


def guess_level(code: str) -> str:
    """The level a bare code implies (110000 → province, 110101001000 → township)."""
    if not code.isdigit() or len(code) not in (6, 9, 12):
        raise ValueError(f"区划代码应为6位或12位数字：{code}")
    if set(code) == {"0"}:
        return DivisionLevel.NATIONAL
    code12 = code.ljust(12, "0")
    if code12[9:] != "000":
        return DivisionLevel.VILLAGE
    if code12[6:9] != "000":
        return DivisionLevel.TOWNSHIP
    if code12[4:6] != "00":
        return DivisionLevel.COUNTY
    if code12[2:4] != "00":
        return DivisionLevel.CITY
    return DivisionLevel.PROVINCE


class Division(models.Model):
    code = models.CharField("区划代码", max_length=12, primary_key=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=16, choices=DivisionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    prefix = models.CharField("代码前缀", max_length=12, db_index=True, editable=False)

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def save(self, *args, **kwargs):
        self.prefix = code_prefix(self.code.ljust(12, "0"), self.level)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if not self.code.isdigit() or len(self.code) not in (6, 9, 12):
            raise ValidationError({"code": "区划代码应为6位、9位或12位数字。"})
        if self.parent_id and self.parent_id == self.code:
            raise ValidationError({"parent": "上级区划不能是自己。"})
        own_prefix = code_prefix(self.code.ljust(12, "0"), self.level)
        if self.parent and not own_prefix.startswith(self.parent.prefix):
            raise ValidationError({"parent": "区划代码与上级区划代码不一致。"})

    def subtree(self) -> models.QuerySet["Division"]:
        return Division.objects.filter(prefix__startswith=self.prefix)

    def ancestors(self) -> list["Division"]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class AgencyKind(models.TextChoices):
    DEPARTMENT = "department", "管委会/政府工作部门"
    TOWNSHIP = "township", "乡镇/街道"
    RESIDENT_OFFICE = "resident_office", "派驻机构"
    COMMITTEE = "committee", "村（居）委会"
    NATIONAL = "national", "国务院部门"


class Agency(models.Model):
    code = models.CharField(
        "机关代码",
        max_length=32,
        unique=True,
        help_text="统一社会信用代码；没有时用简短的本地代码。",
    )
    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=50, blank=True)
    kind = models.CharField("类别", max_length=20, choices=AgencyKind.choices)
    division = models.ForeignKey(
        Division, verbose_name="所属区划", on_delete=models.PROTECT, related_name="agencies"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级机关",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveIntegerField("排序", default=100)
    description = models.TextField("机关职能", blank=True)
    address = models.CharField("办公地址", max_length=200, blank=True)
    phone = models.CharField("咨询电话", max_length=50, blank=True)
    office_hours = models.CharField("办公时间", max_length=100, blank=True)

    class Meta:
        verbose_name = "机关单位"
        verbose_name_plural = "机关单位"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    EDITOR = "editor", "编辑"
    REVIEWER = "reviewer", "审核"
    ADMIN = "admin", "管理员"
    AUDITOR = "auditor", "监督"


class Membership(models.Model):
    """A user's role in one agency, or (admins and auditors) over a division subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField("角色", max_length=16, choices=Role.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name="机关",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    division = models.ForeignKey(
        Division,
        verbose_name="区划（整个辖区）",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "岗位角色"
        verbose_name_plural = "岗位角色"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(agency__isnull=False, division__isnull=True)
                    | models.Q(agency__isnull=True, division__isnull=False)
                ),
                name="membership_agency_xor_division",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "agency"],
                condition=models.Q(agency__isnull=False),
                name="membership_unique_agency_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "division"],
                condition=models.Q(division__isnull=False),
                name="membership_unique_division_role",
            ),
        ]

    def __str__(self) -> str:
        scope = self.agency or self.division
        return f"{self.user} · {self.get_role_display()} · {scope}"

    def clean(self) -> None:
        if bool(self.agency_id) == bool(self.division_id):
            raise ValidationError("请选择一个机关，或（管理员、监督）选择一个区划。")
        if self.division_id and self.role not in (Role.ADMIN, Role.AUDITOR):
            raise ValidationError({"division": "只有管理员和监督可以按区划授权。"})
