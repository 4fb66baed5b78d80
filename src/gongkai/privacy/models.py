"""The configurable list of sensitive words (涉密、内部 markings) the privacy screen looks for.

Personal data (ID, mobile and bank card numbers) is recognised by rules in screen.py, not
by this table.
"""

from django.core.exceptions import ValidationError
from django.db import models


class WordCategory(models.TextChoices):
    SECRET = "secret", "涉密"
    INTERNAL = "internal", "内部"
    PERSONAL = "personal", "个人信息"
    OTHER = "other", "其他"


class SensitiveWord(models.Model):
    word = models.CharField(
        "敏感词",
        max_length=50,
        unique=True,
        help_text="繁体、全角写法和字间空格也会被识别，无需另行添加。",
    )
    category = models.CharField(
        "类别", max_length=20, choices=WordCategory.choices, default=WordCategory.SECRET
    )
    exempt_phrases = models.TextField(
        "不提示的说法",
        blank=True,
        help_text="每行一个。敏感词出现在这些说法之中时不提示，"
        "如“秘密”之于“商业秘密”，“国家秘密”之于“保守国家秘密法”。",
    )
    active = models.BooleanField("启用", default=True)
    note = models.CharField("说明", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "敏感词"
        verbose_name_plural = "敏感词"
        ordering = ["category", "word"]

    def __str__(self) -> str:
        return self.word

    def clean(self) -> None:
        self.word = "".join(self.word.split())
        if len(self.word) < 2:
            # One character (密, 秘) would flag almost every document.
            raise ValidationError({"word": "敏感词至少两个字。"})
        lines = [p.strip() for p in self.exempt_phrases.splitlines() if p.strip()]
        for phrase in lines:
            if self.word not in "".join(phrase.split()):
                raise ValidationError(
                    {"exempt_phrases": f"“{phrase}”不包含敏感词“{self.word}”，不起作用。"}
                )
        self.exempt_phrases = "\n".join(lines)

    @property
    def exempt_list(self) -> list[str]:
        return [p.strip() for p in self.exempt_phrases.splitlines() if p.strip()]
