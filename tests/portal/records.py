"""Records published through the real workflow (editor drafts and submits, reviewer
approves), shared by the portal and browser tests."""

import datetime as dt

from django.utils import timezone

from gongkai.disclosure import services

from .helpers import _staff

BODY = "<p>经审核，以下家庭符合最低生活保障条件，现予公示。</p>"


def draft_record(item, **fields):
    editor, _ = _staff(item.agency)
    values = {
        "title": "关于2026年第三季度城乡最低生活保障对象的公示",
        "body": BODY,
        "formed_on": dt.date(2026, 9, 25),
        "issuer": "示范经济开发区民政局",
        "topic": "civil_affairs",
        "categories": ["livelihood"],
        **fields,
    }
    return services.create_record(editor, item, **values)


def publish_record(item, *, at: dt.datetime | None = None, files=(), **fields):
    """A published record under `item`; `files` are (name, bytes) attachments; `at` backdates
    the submission and approval (aware datetime)."""
    editor, reviewer = _staff(item.agency)
    record = draft_record(item, **fields)
    for name, data in files:
        services.add_attachment(editor, record, data, name)
    services.submit(editor, record, at=at)
    return services.approve(reviewer, record, at=at)


def moment(y: int, m: int, d: int, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, hour))
