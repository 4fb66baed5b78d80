"""The change feed: GET /api/v1/changes?since=CURSOR — for new media and the provincial
system, which keep a copy in step without re-reading the catalog.

Every event (an item or record appeared, changed, or left the public site) comes exactly
once, in order, when a client walks the pages with the `next` cursors (channels/outbox.py).
"""

from functools import partial
from typing import Literal

from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from gongkai.channels.outbox import (
    InvalidCursor,
    changes_after,
    decode_cursor,
    encode_cursor,
    event_payload,
    site_url,
)

from .schemas import ErrorOut

router = Router(tags=["changes"])

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


class ChangeOut(Schema):
    cursor: str = Field(description="此条之后的游标：从这里继续读取即可不重不漏")
    kind: Literal["item", "record"] = Field(description="item 目录事项；record 公开信息")
    id: int = Field(description="对象编号")
    action: Literal["created", "updated", "retired"] = Field(
        description="created 首次公开；updated 内容更新或重新公开；retired 已从公开页面撤下"
    )
    title: str = Field(description="公开时的标题")
    url: str = Field(description="公开页面地址（retired 时该页面已不再公开）")
    agency: str = Field(description="机关代码")
    domain: str = Field(description="领域代码")
    occurred_at: str = Field(description="变更时间（ISO 8601，北京时间）")


class ChangesPage(Schema):
    changes: list[ChangeOut]
    next: str = Field(description="下次请求的 since 参数（没有新变更时也会返回，供轮询）")
    has_more: bool = Field(description="是否还有更多变更，为 true 时请立即用 next 继续读取")


class ChangesParams(Schema):
    since: str | None = Field(
        None, max_length=500, description="上次返回的 next 游标；不填则从最早的变更开始"
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="每页条数，最多1000")
    kind: Literal["item", "record"] | None = Field(None, description="只看某类对象")
    agency: str | None = Field(None, max_length=64, description="只看某机关（机关代码）")
    domain: str | None = Field(None, max_length=40, description="只看某领域（领域代码）")


@router.get(
    "/changes",
    response={200: ChangesPage, 400: ErrorOut, 422: ErrorOut},
    summary="变更订阅",
    description=(
        "按发生顺序返回已公开内容的新增、更新和撤下。首次不带 since 从头读取，"
        "之后每次带上返回的 next；has_more 为 true 时继续读取。游标不透明且带签名，"
        "请原样保存，篡改或伪造的游标返回 400。撤下（retired）的变更只含标题和地址，不含正文。"
    ),
)
def changes(request, params: Query[ChangesParams]):
    after = 0
    if params.since:
        try:
            after = decode_cursor(params.since.strip())
        except InvalidCursor as exc:
            raise HttpError(400, str(exc)) from exc
    events, has_more = changes_after(
        after,
        params.limit,
        kind=params.kind,
        agency_code=(params.agency or "").strip() or None,
        domain_code=(params.domain or "").strip() or None,
    )
    return {
        "changes": [event_payload(e, partial(site_url, request=request)) for e in events],
        "next": encode_cursor(events[-1].pk if events else after),
        "has_more": has_more,
    }
