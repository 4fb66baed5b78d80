"""A NUL character in a query string never reaches the database (PostgreSQL rejects it
with an error that would surface as a 500)."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/records/?domain=%00&agency=a%00b",
        "/changes/?agency=%00&domain=%00&since=%00",
        "/domains/social_assistance/?agency=%00&level=%00",
        "/search/?q=%E4%BD%8F%00%E6%88%BF&domain=%00",
        "/api/v1/search?q=a%00&domain=%00",
        "/api/v1/items?domain=%00",
    ],
)
def test_nul_in_the_query_string_is_dropped(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404), response.content[:300]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/agencies/a%00b/", "/agencies/a%00b/export.xlsx"])
def test_nul_in_the_path_is_not_found(client, path):
    assert client.get(path).status_code == 404


def test_a_literal_percent_sign_sequence_is_kept(rf):
    from django.http import HttpResponse

    from gongkai.core.middleware import nul_guard

    seen = {}

    def view(request):
        seen.update(request.GET)
        return HttpResponse()

    nul_guard(view)(rf.get("/x", {"q": "%00 is a percent sign", "d": "a\x00b"}))
    assert seen["q"] == ["%00 is a percent sign"] and seen["d"] == ["ab"]
