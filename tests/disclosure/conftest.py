"""Fixtures for disclosure records: a published catalog item and a record factory."""

import datetime as dt

import pytest

from gongkai.disclosure import services

from .builders import published_item


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def item(people, zone, elements):
    """民政局's 最低生活保障 item: 信息形成或者变更之日起20个工作日内."""
    return published_item(people, zone, elements)


@pytest.fixture
def make_record(people, item):
    def make(user=None, target=None, **fields):
        values = {
            "title": "关于2026年第三季度城乡最低生活保障对象的公示",
            "body": "<p>经审核，以下家庭符合最低生活保障条件，现予公示。</p>",
            "formed_on": dt.date(2026, 9, 25),
            "issuer": "示范经济开发区民政局",
            "topic": "civil_affairs",
            "categories": ["livelihood"],
            **fields,
        }
        return services.create_record(user or people["editor"], target or item, **values)

    return make


@pytest.fixture
def record(make_record):
    return make_record()
