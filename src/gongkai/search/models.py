"""One search-document shape for every searchable type, the synonym table, and the
item names that “您是不是要找” suggestions are drawn from.

Text is analysed in Python (search/analysis.py) and stored as space-separated tokens;
the engine-specific index (SQLite FTS5 table, PostgreSQL tsvector + GIN) is built over
these token columns by search/backends/.
"""

from django.db import models


class SearchDocument(models.Model):
    doc_type = models.CharField("类型", max_length=20)  # "item" now; records, services… later
    object_id = models.BigIntegerField("对象编号")
    title = models.CharField("标题", max_length=500)
    body = models.TextField("正文", blank=True)  # plain text shown in snippets
    url = models.CharField("地址", max_length=300)
    # Facets and filters.
    domain_code = models.CharField(max_length=40, blank=True, db_index=True)
    agency_code = models.CharField(max_length=32, blank=True, db_index=True)
    division_prefix = models.CharField(max_length=12, blank=True, db_index=True)
    levels = models.CharField(max_length=100, blank=True)  # ",county,township,"
    audience = models.CharField(max_length=50, blank=True)
    mode = models.CharField(max_length=50, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Analysed text (space-separated tokens), weighted title > elements > body.
    title_tokens = models.TextField(blank=True)
    elements_tokens = models.TextField(blank=True)
    body_tokens = models.TextField(blank=True)
    chars = models.TextField(blank=True)  # the title's characters, for 1-char/unknown terms

    class Meta:
        verbose_name = "检索文档"
        verbose_name_plural = "检索文档"
        constraints = [
            models.UniqueConstraint(fields=["doc_type", "object_id"], name="search_doc_unique")
        ]

    def __str__(self) -> str:
        return self.title


class Synonym(models.Model):
    """An abbreviation or colloquial term and what it means (低保 → 最低生活保障)."""

    term = models.CharField("常用说法", max_length=50, unique=True)
    expansions = models.CharField(
        "规范说法", max_length=300, help_text="多个规范说法用“|”分隔，如：医疗保险|医疗保障"
    )
    bidirectional = models.BooleanField(
        "双向", default=True, help_text="双向时，搜索规范说法也会找到常用说法。"
    )

    class Meta:
        verbose_name = "同义词"
        verbose_name_plural = "同义词"
        ordering = ["term"]

    def __str__(self) -> str:
        return f"{self.term} → {self.expansions}"

    def expansion_list(self) -> list[str]:
        return [e.strip() for e in self.expansions.split("|") if e.strip()]


class SuggestTerm(models.Model):
    """A published item's name with its pinyin, for “您是不是要找” (search/suggest.py).

    Rebuilt by `gongkai reindex`, new names added as items are indexed."""

    term = models.CharField("名称", max_length=100)
    pinyin = models.CharField("拼音", max_length=400)
    fuzzy = models.CharField("模糊音", max_length=400)
    initials = models.CharField("拼音首字母", max_length=100)
    head = models.CharField("前两字", max_length=2)
    tail = models.CharField("后两字", max_length=2)
    length = models.PositiveSmallIntegerField("字数")
    weight = models.PositiveIntegerField(
        "权重", default=1, help_text="使用该名称的已发布事项数（重建索引时统计）"
    )

    class Meta:
        verbose_name = "纠错提示词"
        verbose_name_plural = "纠错提示词"
        ordering = ["-weight", "term"]
        # Equality lookups only (no LIKE): plain indexes and a constraint rather than
        # db_index/unique, which on PostgreSQL add a pattern index per column.
        constraints = [models.UniqueConstraint(fields=["term"], name="search_suggest_term")]
        indexes = [
            models.Index(fields=["pinyin"], name="search_suggest_pinyin"),
            models.Index(fields=["fuzzy"], name="search_suggest_fuzzy"),
            models.Index(fields=["initials"], name="search_suggest_initials"),
            models.Index(fields=["head", "length"], name="search_suggest_head"),
            models.Index(fields=["tail", "length"], name="search_suggest_tail"),
        ]

    def __str__(self) -> str:
        return self.term
