"""Request hygiene shared by the portal, the API and the back office."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, QueryDict

_NUL = re.compile(r"%00|\x00")


def nul_guard(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Drop NUL characters from the query string before any view reads it.

    PostgreSQL text cannot hold NUL, so a filter value like `?domain=%00` would turn
    into a database error (a 500) wherever it reaches a query; no real value contains
    one. Forms reject NUL themselves (Django's ProhibitNullCharactersValidator). A
    path with NUL (`/agencies/a%00b/`) names nothing: 404."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info:
            raise Http404("无效的地址")
        query = request.META.get("QUERY_STRING", "")
        if _NUL.search(query):
            request.META["QUERY_STRING"] = _NUL.sub("", query)
            request.GET = QueryDict(request.META["QUERY_STRING"], encoding=request.encoding)
        return get_response(request)

    return middleware
