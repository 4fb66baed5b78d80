"""The JSON API, /api/v1/. Read-only and public: only published items are served."""

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from . import catalog_api, changes_api, search_api

api = NinjaAPI(
    title="公开 Gongkai API",
    version="1.0.0",
    description="政务公开事项标准目录的公开数据接口。只返回已发布的内容。",
    urls_namespace="api",
)


# pydantic's error types, said in Chinese (anything else keeps pydantic's English message).
ERROR_MESSAGES = {
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "greater_than_equal": "不能小于{ge}",
    "greater_than": "应大于{gt}",
    "less_than_equal": "不能大于{le}",
    "less_than": "应小于{lt}",
    "literal_error": "应为以下取值之一：{expected}",
    "string_too_long": "长度不能超过{max_length}个字符",
    "string_too_short": "长度不能少于{min_length}个字符",
    "missing": "不能为空",
}


def _message(error: dict) -> str:
    template = ERROR_MESSAGES.get(error.get("type", ""))
    if template is None:
        return str(error.get("msg", ""))
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return str(error.get("msg", ""))


@api.exception_handler(NinjaValidationError)
def invalid_input(request, exc):
    details = "；".join(
        f"{'.'.join(str(p) for p in e.get('loc', [])[1:]) or '参数'}：{_message(e)}"
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
api.add_router("", search_api.router)
api.add_router("", changes_api.router)
