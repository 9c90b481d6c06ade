"""The integration API's root (django-ninja). Apps add their routers here."""

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Schema
from ninja.security import django_auth
from wagtail.api.v3.auth import BearerTokenAuth

api = NinjaAPI(
    title="惠农集市 API",
    version="1.0.0",
    description=str(
        _(
            "惠农集市开放接口。浏览器中使用会话登录（需 CSRF 令牌）；系统对接使用个人 API 令牌："
            "`Authorization: Bearer <token>`。"
        )
    ),
    auth=[BearerTokenAuth(), django_auth],
    urls_namespace="api-v1",
)


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
