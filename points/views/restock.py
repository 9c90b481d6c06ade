"""The manager's restocking pages (集市补货), made for a phone: pick products of certified
suppliers, review the priced lines and split the total over the funding sources, submit
(the procurement checkout places the order); then, per shipment, accept line by line with a
points price for goods new on the shelf. Approval and the transfer are the procurement
order page's (linked)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.errors import DomainError
from procurement.exceptions import BasketChangedError, ProcurementError
from procurement.review import basket_fingerprint
from procurement.services import procurement_order_preview

from .. import selectors, services
from ..exceptions import PointsError, RestockNotFoundError
from ..models import FundingSource
from .shop import ManagerMixin

MAX_QUANTITY = 9999

#: What the services refuse with: a Chinese message and a 4xx status.
REFUSALS = (DomainError, ProcurementError)


def _prefixed(post, prefix: str) -> dict[str, str]:
    return {k[len(prefix) :]: v for k, v in post.items() if k.startswith(prefix)}


def _items(post) -> list[tuple[int, int]]:
    """``qty-<product id>`` fields as (product id, quantity) pairs; blanks and zeros left out.
    Raises ``PointsError`` on anything but whole numbers in range."""
    items = []
    for key, value in _prefixed(post, "qty-").items():
        value = value.strip()
        if not value:
            continue
        try:
            product_id, quantity = int(key), int(value)
        except ValueError as exc:
            raise PointsError(_("采购数量须为整数。")) from exc
        if not 0 <= quantity <= MAX_QUANTITY:
            raise PointsError(_("采购数量须在 1 到 %(max)s 之间。") % {"max": MAX_QUANTITY})
        if quantity:
            items.append((product_id, quantity))
    if not items:
        raise PointsError(_("请至少填写一种商品的采购数量。"))
    return items


class RestockView(ManagerMixin, TemplateView):
    template_name = "points/restock.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        query = (self.request.GET.get("q") or "").strip()[:50]
        ctx.update(
            q=query,
            products=selectors.restock_products(supermarket=self.supermarket, query=query),
            restocks=selectors.supermarket_restocks(supermarket=self.supermarket),
            open=self.supermarket.buyer_id is not None,
        )
        return ctx

    def post(self, request):
        try:
            items = _items(request.POST)
        except PointsError as error:
            messages.error(request, str(error))
            return redirect("points:restock")
        if "submit" in request.POST:
            return self._submit(request, items)
        return self._review(request, items)

    def _review(self, request, items, *, error: str = "", status: int = 200, funding=None):
        try:
            lines = procurement_order_preview(user=request.user, items=items)
        except REFUSALS as refusal:
            messages.error(request, str(refusal))
            return redirect("points:restock")
        total = sum((line.line_price_incl_tax for line in lines), start=0)
        ctx = {
            "supermarket": self.supermarket,
            "supermarkets": self.supermarkets,
            "lines": lines,
            "total": total,
            "fingerprint": basket_fingerprint(lines),
            "items": items,
            "sources": [
                (value, label, (funding or {}).get(value, ""))
                for value, label in FundingSource.choices
            ],
            "contact_name": request.POST.get("contact_name") or request.user.get_full_name() or "",
            "contact_phone": request.POST.get("contact_phone", ""),
            "error": error,
        }
        return render(request, "points/restock_review.html", ctx, status=status)

    def _submit(self, request, items):
        funding = _prefixed(request.POST, "fund-")
        try:
            restock = services.restock_order_place(
                user=request.user,
                supermarket_id=self.supermarket.pk,
                items=items,
                funding=funding,
                fingerprint=request.POST.get("fingerprint", ""),
                contact_name=(request.POST.get("contact_name") or "").strip()[:50],
                contact_phone=(request.POST.get("contact_phone") or "").strip()[:20],
            )
        except BasketChangedError as refusal:
            return self._review(request, items, error=str(refusal), status=409, funding=funding)
        except REFUSALS as refusal:
            return self._review(
                request, items, error=str(refusal), status=refusal.status_code, funding=funding
            )
        messages.success(
            request,
            _("补货订单 %(number)s 已提交。") % {"number": restock.order.number},
        )
        return redirect("points:restock-detail", number=restock.order.number)


class RestockDetailView(ManagerMixin, TemplateView):
    template_name = "points/restock_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            try:
                self.restock = services.restock_for_manager(
                    user=request.user, number=kwargs["number"]
                )
            except RestockNotFoundError:
                raise Http404 from None
            # The page is the restock's supermarket's, whichever one was chosen before.
            request.session["points_supermarket"] = self.restock.supermarket_id
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            restock=self.restock,
            **selectors.restock_detail(restock=self.restock),
        )
        return ctx

    def post(self, request, number: str):
        back = reverse("points:restock-detail", kwargs={"number": number})
        accepted = _prefixed(request.POST, "acc-")
        damaged = _prefixed(request.POST, "dmg-")
        try:
            event_id = int(request.POST.get("event", ""))
            shipped = {int(k): int(v) for k, v in _prefixed(request.POST, "shipped-").items()}
            quantities = {}
            for line_id, total in shipped.items():
                good = int(accepted.get(str(line_id)) or 0)
                bad = int(damaged.get(str(line_id)) or 0)
                quantities[line_id] = (good, total - good - bad, bad)
        except ValueError:
            messages.error(request, _("验收数量须为整数。"))
            return redirect(back)
        try:
            services.restock_shipment_accept(
                user=request.user,
                number=number,
                shipping_event_id=event_id,
                quantities=quantities,
                points_prices=_prefixed(request.POST, "price-"),
                note=(request.POST.get("note") or "").strip()[:300],
            )
        except REFUSALS as refusal:
            messages.error(request, str(refusal))
            return redirect(back)
        messages.success(request, _("验收完成，合格商品已入库。"))
        return redirect(back)
