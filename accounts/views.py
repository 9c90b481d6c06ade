from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from oscar.core.loading import get_class

from .exceptions import ApiTokenNotFoundError
from .forms import ApiTokenCreateForm
from .services import api_token_create, api_token_revoke, password_reset_allow


class ApiTokenListView(LoginRequiredMixin, TemplateView):
    """The signed-in user's API tokens; a new token's key is shown once, right after creation."""

    template_name = "accounts/api_tokens.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", ApiTokenCreateForm())
        ctx["tokens"] = self.request.user.api_tokens.order_by("-created")
        ctx["new_key"] = self.request.session.pop("new_api_token", None)
        ctx["page_title"] = _("API 令牌")
        return ctx

    def post(self, request, *args, **kwargs):
        form = ApiTokenCreateForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        token, raw_key = api_token_create(user=request.user, name=form.cleaned_data["name"])
        request.session["new_api_token"] = raw_key
        messages.success(request, _("已创建令牌“%(name)s”。") % {"name": token.name})
        return redirect("accounts:api-tokens")


class ApiTokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        try:
            token = api_token_revoke(user=request.user, token_id=pk)
        except ApiTokenNotFoundError:
            raise Http404
        messages.success(request, _("已吊销令牌“%(name)s”。") % {"name": token.name})
        return redirect("accounts:api-tokens")


class PasswordResetView(auth_views.PasswordResetView):
    """Oscar's password reset page, throttled per address and per client IP
    (``password_reset_allow``). A refusal reads the same for an address with an account and
    one without: the form again, with the reason, answered 429."""

    form_class = get_class("customer.forms", "PasswordResetForm")
    template_name = "oscar/registration/password_reset_form.html"
    success_url = reverse_lazy("password-reset-done")

    def form_valid(self, form):
        allowed = password_reset_allow(
            email=form.cleaned_data["email"], client_ip=get_client_ip_address(self.request)
        )
        if not allowed:
            form.add_error(None, _("找回密码的请求过于频繁，请一小时后再试。"))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)
