"""The supermarket manager's redemption page, made for a phone: find the household by its
code, pick goods, redeem; the receipt, with its print view and the reversal (退兑)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from procurement.views.base import refuse

from .. import selectors, services
from ..exceptions import PointsError
from ..forms import ReasonForm, RestockForm

SESSION_SUPERMARKET = "points_supermarket"


class ManagerMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.supermarkets = list(selectors.manager_supermarkets(user=request.user))
        if not self.supermarkets:
            raise PermissionDenied
        wanted = request.GET.get("supermarket") or request.session.get(SESSION_SUPERMARKET)
        self.supermarket = next(
            (s for s in self.supermarkets if str(s.pk) == str(wanted)), self.supermarkets[0]
        )
        request.session[SESSION_SUPERMARKET] = self.supermarket.pk
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(supermarket=self.supermarket, supermarkets=self.supermarkets)
        return ctx


class ShopView(ManagerMixin, TemplateView):
    template_name = "points/shop.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        goods = selectors.supermarket_goods(supermarket=self.supermarket)
        ctx.update(
            goods=goods,
            recent=selectors.supermarket_redemptions(supermarket=self.supermarket),
            restock_form=RestockForm(goods=goods),
        )
        code = (self.request.GET.get("code") or "").strip()
        ctx["code"] = code
        if code:
            try:
                household = services.household_by_code(code)
            except PointsError as error:
                ctx["lookup_error"] = str(error)
            else:
                if household.village.supermarket_id != self.supermarket.pk:
                    ctx["lookup_error"] = _("该户属于%(village)s，不在本超市服务的村。") % {
                        "village": household.village.name
                    }
                else:
                    ctx["household"] = household
        return ctx

    def post(self, request):
        if "restock" in request.POST:
            return self._restock(request)
        code = (request.POST.get("code") or "").strip()
        items = []
        for key, value in request.POST.items():
            if key.startswith("qty-") and value.strip():
                try:
                    items.append(services.Item(int(key[4:]), int(value)))
                except ValueError:
                    messages.error(request, _("兑换数量须为整数。"))
                    return redirect(f"{reverse('points:shop')}?code={code}")
        try:
            redemption = services.redemption_create(
                user=request.user,
                supermarket_id=self.supermarket.pk,
                household_code=code,
                items=items,
            )
        except PointsError as error:
            messages.error(request, str(error))
            return redirect(f"{reverse('points:shop')}?code={code}")
        messages.success(request, _("兑换成功。"))
        return redirect("points:receipt", number=redemption.number)

    def _restock(self, request):
        form = RestockForm(
            request.POST, goods=selectors.supermarket_goods(supermarket=self.supermarket)
        )
        if not form.is_valid():
            messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
            return redirect("points:shop")
        try:
            goods = services.goods_restock(
                user=request.user,
                goods_id=form.cleaned_data["goods"].pk,
                quantity=form.cleaned_data["quantity"],
                reason=form.cleaned_data["reason"],
            )
        except PointsError as error:
            return refuse(request, error, "points:shop")
        messages.success(
            request,
            _("%(name)s 已入库，现有库存 %(stock)s%(unit)s。")
            % {"name": goods.name, "stock": goods.stock, "unit": goods.unit},
        )
        return redirect("points:shop")


class ReceiptView(ManagerMixin, TemplateView):
    template_name = "points/receipt.html"

    def dispatch(self, request, *args, **kwargs):
        self.redemption = selectors.redemption_detail(number=kwargs["number"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        if self.redemption is None or self.redemption.supermarket not in self.supermarkets:
            raise Http404
        ctx = super().get_context_data(**kwargs)
        ctx.update(redemption=self.redemption, reason_form=ReasonForm())
        return ctx

    def post(self, request, number: str):
        if self.redemption is None or self.redemption.supermarket not in self.supermarkets:
            raise Http404
        form = ReasonForm(request.POST)
        back = reverse("points:receipt", kwargs={"number": number})
        if not form.is_valid():
            messages.error(request, _("退兑须填写原因。"))
            return redirect(back)
        try:
            services.redemption_reverse(
                user=request.user,
                redemption_id=self.redemption.pk,
                reason=form.cleaned_data["reason"],
            )
        except PointsError as error:
            return refuse(request, error, back)
        messages.success(request, _("已退兑：积分已退回，商品已回库。"))
        return redirect(back)
