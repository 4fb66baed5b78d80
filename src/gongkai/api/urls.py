"""The JSON API, /api/v1/. Read-only and public: only published items are served."""

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from . import catalog_api

api = NinjaAPI(
    title="公开 Gongkai API",
    version="1.0.0",
    description="政务公开事项标准目录的公开数据接口。只返回已发布的内容。",
    urls_namespace="api",
)


@api.exception_handler(NinjaValidationError)
def invalid_input(request, exc):
    details = "；".join(
        f"{'.'.join(str(p) for p in e.get('loc', [])[1:]) or '参数'}：{e.get('msg', '')}"
        for e in exc.errors
    )
    return api.create_response(request, {"detail": f"请求参数有误：{details}"}, status=422)


@api.exception_handler(ValidationError)
def django_invalid(request, exc):
    return api.create_response(request, {"detail": "；".join(exc.messages)}, status=400)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "未找到。"}, status=404)


api.add_router("", catalog_api.router)
