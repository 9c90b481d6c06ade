"""Query strings with control characters are bad input: answered 400 before any view runs.

PostgreSQL refuses a NUL byte in a text parameter (``DataError``), so a ``?q=%00`` that
reached a search or a filter would be a 500; no form or filter of the site takes control
characters, so every path refuses them alike (the API in JSON, as its other errors)."""

import re

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
API_PREFIX = "/api/"


class QueryControlCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(
            CONTROL_CHARACTERS.search(key) or CONTROL_CHARACTERS.search(value)
            for key, values in request.GET.lists()
            for value in values
        ):
            message = _("查询参数含有控制字符，请检查后重试。")
            if request.path.startswith(API_PREFIX):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
