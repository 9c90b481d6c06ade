"""The integration API's root (django-ninja). Apps add their routers here.

Every refusal answers with a Chinese ``detail``; ninja's own English answers (bad parameters,
an unreadable body, no credentials, a bare 404) are replaced by the handlers below."""

from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import django_auth
from wagtail.api.v3.auth import BearerTokenAuth

from core.api import ErrorOut, ValidationErrorOut
from core.middleware import CONTROL_CHARACTERS


def _answer(description, schema) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": schema.model_json_schema()}},
    }


# The refusals the handlers below give for any operation, by what the operation has.
# An operation's own declaration of a status (e.g. its 403 for a role) comes first.
AUTHENTICATED_REFUSALS = {
    "401": ("未登录，或 API 令牌无效。", ErrorOut),
}
UNSAFE_METHOD_REFUSALS = {
    "403": ("会话登录的请求未通过 CSRF 校验（API 令牌不需要）。", ErrorOut),
}
INPUT_REFUSALS = {
    "422": ("参数或请求体不符合接口说明：各字段的中文错误信息。", ValidationErrorOut),
}
# core.middleware refuses a query string with control characters on every path; the parser
# below a JSON body with one, or a body that is not JSON.
ANY_REFUSALS = {
    "400": ("查询参数或请求体含有控制字符，或请求体不是有效的 JSON。", ErrorOut),
}


def _has_control_characters(value) -> bool:
    if isinstance(value, str):
        return CONTROL_CHARACTERS.search(value) is not None
    if isinstance(value, dict):
        return any(
            _has_control_characters(k) or _has_control_characters(v) for k, v in value.items()
        )
    if isinstance(value, list):
        return any(_has_control_characters(v) for v in value)
    return False


class ControlCharacterRefusingParser(Parser):
    """ninja's JSON parser, refusing (400) a body with a control character in any key or
    string: PostgreSQL cannot store a NUL byte, so one that reached a text field was a 500."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if _has_control_characters(data):
            raise HttpError(400, gettext("请求体含有控制字符，请检查后重试。"))
        return data


class MarketplaceAPI(NinjaAPI):
    """NinjaAPI whose schema documents the refusals every operation may give (401 without
    credentials, 422 for input the operation's types refuse, 400 for a query string or a
    body with control characters or a body that is not JSON, 403 for a session request
    without its CSRF token), so that a client, and the schemathesis run in tests/api, knows
    every status the API really answers with."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for methods in schema["paths"].values():
            for method, operation in methods.items():
                refusals = {}
                if operation.get("security"):
                    refusals |= AUTHENTICATED_REFUSALS
                    if method in ("post", "put", "patch", "delete"):
                        refusals |= UNSAFE_METHOD_REFUSALS
                if operation.get("parameters") or operation.get("requestBody"):
                    refusals |= INPUT_REFUSALS
                refusals |= ANY_REFUSALS
                responses = operation["responses"]
                for status, (description, model) in refusals.items():
                    if int(status) not in responses and status not in responses:
                        responses[status] = _answer(description, model)
        return schema


api = MarketplaceAPI(
    title="惠农集市 API",
    version="1.0.0",
    description=str(
        _(
            "惠农集市开放接口。浏览器中使用会话登录（需 CSRF 令牌）；系统对接使用个人 API 令牌："
            "`Authorization: Bearer <token>`。"
        )
    ),
    auth=[BearerTokenAuth(), django_auth],
    parser=ControlCharacterRefusingParser(),
    urls_namespace="api-v1",
)


# pydantic's error types -> Chinese, formatted with the error's ``ctx`` (its bound, length...).
VALIDATION_MESSAGES = {
    "missing": _("此项为必填项。"),
    "int_parsing": _("须为整数。"),
    "int_type": _("须为整数。"),
    "int_from_float": _("须为整数。"),
    "decimal_parsing": _("须为数字。"),
    "decimal_type": _("须为数字。"),
    "float_parsing": _("须为数字。"),
    "bool_parsing": _("须为 true 或 false。"),
    "string_type": _("须为字符串。"),
    "list_type": _("须为列表。"),
    "model_type": _("须为对象。"),
    "dict_type": _("须为对象。"),
    "date_parsing": _("须为日期，如 2026-03-31。"),
    "date_from_datetime_parsing": _("须为日期，如 2026-03-31。"),
    "greater_than": _("须大于 %(gt)s。"),
    "greater_than_equal": _("须不小于 %(ge)s。"),
    "less_than": _("须小于 %(lt)s。"),
    "less_than_equal": _("须不大于 %(le)s。"),
    "string_too_short": _("至少 %(min_length)s 个字符。"),
    "string_too_long": _("不能超过 %(max_length)s 个字符。"),
    "too_short": _("至少须有 %(min_length)s 项。"),
    "too_long": _("最多 %(max_length)s 项。"),
    "literal_error": _("须为以下取值之一：%(expected)s。"),
    "enum": _("须为以下取值之一：%(expected)s。"),
    "json_invalid": _("请求体不是有效的 JSON。"),
}


def validation_message(error: dict) -> str:
    message = VALIDATION_MESSAGES.get(error.get("type"))
    if message is None:
        return gettext("格式不正确。")
    try:
        return str(message) % error.get("ctx", {})
    except (KeyError, TypeError):
        return gettext("格式不正确。")


def validation_field(loc) -> str:
    """ninja's ``loc`` as the field's path: ('body', 'payload', 'items', 0, 'quantity') ->
    'items.0.quantity', ('path', 'unit_id') -> 'unit_id' (a body is one schema parameter)."""
    source, *path = [str(part) for part in loc]
    if source == "body":
        path = path[1:]
    return ".".join(path) or source


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    """422 ``{"detail": summary, "errors": {field path: [messages]}}``, the shape of the
    API's other input refusals (e.g. an order's delivery details)."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(validation_field(error.get("loc", ())), []).append(
            validation_message(error)
        )
    summary = "；".join(f"{field} {'、'.join(messages)}" for field, messages in errors.items())
    detail = gettext("请求内容有误：%(errors)s") % {"errors": summary}
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc):
    detail = gettext("请先登录，或在请求头中提供有效的 API 令牌。")
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


# ninja's own English refusals (the first with the parser's error appended under DEBUG).
NINJA_MESSAGES = {
    "Cannot parse request body": _("请求体不是有效的 JSON。"),
    "CSRF check Failed": _("CSRF 校验失败：请刷新页面后重试，或改用 API 令牌。"),
    "Forbidden": _("您没有权限执行此操作。"),
}


@api.exception_handler(HttpError)
def http_error(request, exc):
    detail = str(exc)
    for english, chinese in NINJA_MESSAGES.items():
        if detail.startswith(english):
            detail = str(chinese)
            break
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": gettext("没有找到。")}, status=404)


class MeOut(Schema):
    id: int
    email: str
    name: str
    is_staff: bool


@api.get("/me", response=MeOut, summary="当前用户", tags=["账户"])
def me(request):
    user = request.user
    return MeOut(id=user.pk, email=user.email, name=user.get_full_name(), is_staff=user.is_staff)


api.add_router("/supplier", "suppliers.api.router")
api.add_router("/procurement/", "procurement.api.router")
api.add_router("/products", "search.api.router")
api.add_router("/reports/", "reports.api.router")
api.add_router("/points/", "points.api.router")
