"""Controlled vocabularies of the standard catalog template (domain-facts §2)."""

# 公开渠道和载体, in template order. Aliases are the spelling drift seen in real catalogs.
CHANNELS: tuple[tuple[str, str], ...] = (
    ("website", "政府网站"),
    ("gazette", "政府公报"),
    ("new_media", "两微一端"),
    ("press_hearing", "发布会/听证会"),
    ("broadcast", "广播电视"),
    ("print", "纸质媒体"),
    ("reading_point", "公开查阅点"),
    ("service_center", "政务服务中心"),
    ("service_station", "便民服务站"),
    ("on_site", "入户/现场"),
    ("notice_board", "社区/企事业单位/村公示栏（电子屏）"),
    ("targeted", "精准推送"),
    ("other", "其他"),
)
CHANNEL_ALIASES: dict[str, str] = {
    "发布会听证会": "press_hearing",
    "发布会": "press_hearing",
    "新闻发布会": "press_hearing",
    "听证会": "press_hearing",
    "一微一端": "new_media",
    "政府服务中心": "service_center",
    "政务服务大厅": "service_center",
    "社区/企事业单位、村公示栏（电子屏）": "notice_board",
    "社区/企事业单位/村公示栏": "notice_board",
    "广播": "broadcast",
    "电视": "broadcast",
    "报刊": "print",
    "报纸": "print",
}

AUDIENCES: tuple[tuple[str, str], ...] = (("public", "全社会"), ("specific", "特定群体"))
MODES: tuple[tuple[str, str], ...] = (("proactive", "主动"), ("on_request", "依申请"))
LEVELS: tuple[tuple[str, str], ...] = (
    ("province", "省级"),
    ("city", "市级"),
    ("county", "县级"),
    ("township", "乡级"),
    ("village", "村级"),
)


# The nine elements as CatalogItem fields (plus the item code): what imports set,
# exports write and version diffs compare.
ELEMENT_FIELDS: tuple[str, ...] = (
    "code",
    "level1",
    "level2",
    "level3",
    "content",
    "basis",
    "time_limit_text",
    "subject_text",
    "channels",
    "channels_other",
    "audience",
    "audience_note",
    "mode",
    "levels",
)


def label_of(vocabulary: tuple[tuple[str, str], ...], code: str) -> str:
    return dict(vocabulary).get(code, code)
