"""Supplier portal: home, certification (apply, status, resubmit), profile, notices, shipping
fee, sales report."""

import csv
import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.caching import CSRF_PLACEHOLDER
from core.scoped_caching import private_page
from core.spreadsheets import spreadsheet_safe
from orders.models import SalesChannel
from orders.shipping.models import SupplierShippingRule

from ..access import supplier_for_user
from ..exceptions import SupplierError
from ..forms import (
    DocumentsForm,
    NoteForm,
    SalesFilterForm,
    ShippingRuleForm,
    SupplierProfileForm,
)
from ..models import CertificationStatus, SupplierNotice
from ..portal_cache import supplier_home_key
from ..selectors import (
    certification_current,
    certification_detail,
    supplier_kpis,
    supplier_orders,
    supplier_orders_attach_lines,
    supplier_sales_export,
    supplier_sales_summary,
)
from ..services import (
    certification_apply,
    certification_resubmit,
    notices_mark_read,
    supplier_profile_save,
)
from .base import SupplierMixin


class HomeView(SupplierMixin, TemplateView):
    """The supplier's figures, orders to ship and notices: from the cache of the user's
    copy (``suppliers.portal_cache``), retired by any write to what it shows."""

    template_name = "suppliers/portal/home.html"
    section = "home"

    def get(self, request, *args, **kwargs):
        key = supplier_home_key(request=request, partner=self.partner)
        render = lambda: super(HomeView, self).get(request, *args, **kwargs)  # noqa: E731
        return private_page(request, render, key=key)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if getattr(self.request, "csrf_placeholder", False):
            ctx["csrf_token"] = CSRF_PLACEHOLDER  # the real token goes in after the cache
        ctx["kpis"] = supplier_kpis(partner=self.partner)
        recent = supplier_orders(partner=self.partner, state="to_ship")[:5]
        ctx["orders_to_ship"] = supplier_orders_attach_lines(partner=self.partner, orders=recent)
        ctx["notices"] = SupplierNotice.objects.filter(partner=self.partner)[:5]
        ctx["page_title"] = _("供应商中心")
        return ctx


class ApplyView(LoginRequiredMixin, TemplateView):
    """A new supplier's application, or a certified (or formerly certified) supplier's
    renewal: the profile and the documents in one form; nothing is saved unless all is valid."""

    template_name = "suppliers/portal/apply.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.partner = supplier_for_user(request.user)
            if self.partner is not None:
                current = certification_current(partner=self.partner)
                if current is not None and current.is_open:
                    messages.info(request, _("您已有一份正在办理的认定申请。"))
                    return redirect("suppliers:certification")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("profile_form", SupplierProfileForm(instance=self.partner))
        ctx.setdefault("documents_form", DocumentsForm())
        ctx.setdefault("note_form", NoteForm())
        ctx["partner"] = self.partner
        ctx["portal_section"] = "certification"
        ctx["page_title"] = _("续期申请") if self.partner else _("申请成为认定供应商")
        return ctx

    def post(self, request, *args, **kwargs):
        profile_form = SupplierProfileForm(request.POST, instance=self.partner)
        documents_form = DocumentsForm(request.POST, request.FILES)
        note_form = NoteForm(request.POST)
        if profile_form.is_valid() and documents_form.is_valid() and note_form.is_valid():
            try:
                certification_apply(
                    partner=profile_form.save(commit=False),
                    user=request.user,
                    documents=documents_form.documents(),
                    note=note_form.cleaned_data["note"],
                )
            except SupplierError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("申请已提交，请等待县级帮扶部门审核。"))
                return redirect("suppliers:certification")
        return self.render_to_response(
            self.get_context_data(
                profile_form=profile_form, documents_form=documents_form, note_form=note_form
            )
        )


class CertificationView(SupplierMixin, TemplateView):
    """The supplier's current certification with its history and documents; a returned
    application is corrected and resubmitted here."""

    template_name = "suppliers/portal/certification.html"
    section = "certification"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        current = certification_current(partner=self.partner)
        ctx["certification"] = certification_detail(pk=current.pk) if current else None
        ctx["history"] = self.partner.certifications.order_by("-applied_at", "-pk")
        if current and current.status == CertificationStatus.RETURNED:
            ctx.setdefault("profile_form", SupplierProfileForm(instance=self.partner))
            ctx.setdefault("documents_form", DocumentsForm(require_license=False))
            ctx.setdefault("note_form", NoteForm())
        ctx["can_renew"] = current is None or not current.is_open
        ctx["page_title"] = _("资质认定")
        return ctx

    def post(self, request, *args, **kwargs):
        current = certification_current(partner=self.partner)
        if current is None or current.status != CertificationStatus.RETURNED:
            messages.error(request, _("当前没有需要重新提交的申请。"))
            return redirect("suppliers:certification")
        profile_form = SupplierProfileForm(request.POST, instance=self.partner)
        documents_form = DocumentsForm(request.POST, request.FILES, require_license=False)
        note_form = NoteForm(request.POST)
        if profile_form.is_valid() and documents_form.is_valid() and note_form.is_valid():
            try:
                with transaction.atomic():
                    supplier_profile_save(
                        partner=profile_form.save(commit=False), user=request.user
                    )
                    certification_resubmit(
                        certification=current,
                        user=request.user,
                        documents=documents_form.documents(),
                        note=note_form.cleaned_data["note"],
                    )
            except SupplierError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("已重新提交，请等待审核。"))
                return redirect("suppliers:certification")
        return self.render_to_response(
            self.get_context_data(
                profile_form=profile_form, documents_form=documents_form, note_form=note_form
            )
        )


class ProfileView(SupplierMixin, TemplateView):
    """Contacts, address, bank details; the identity fields are fixed while certified."""

    template_name = "suppliers/portal/profile.html"
    section = "profile"

    def _locked(self) -> bool:
        current = certification_current(partner=self.partner)
        return self.partner.certified_until is not None or (
            current is not None
            and current.status in (CertificationStatus.APPLIED, CertificationStatus.RECOMMENDED)
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault(
            "form", SupplierProfileForm(instance=self.partner, lock_identity=self._locked())
        )
        ctx["page_title"] = _("供应商资料")
        return ctx

    def post(self, request, *args, **kwargs):
        form = SupplierProfileForm(
            request.POST, instance=self.partner, lock_identity=self._locked()
        )
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        supplier_profile_save(partner=form.save(commit=False), user=request.user)
        messages.success(request, _("资料已保存。"))
        return redirect("suppliers:profile")


class NoticeListView(SupplierMixin, TemplateView):
    template_name = "suppliers/portal/notices.html"
    section = "notices"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["notices"] = SupplierNotice.objects.filter(partner=self.partner)[:200]
        ctx["page_title"] = _("消息通知")
        return ctx

    def post(self, request, *args, **kwargs):
        notices_mark_read(partner=self.partner)
        return redirect("suppliers:notices")


class ShippingRuleView(SupplierMixin, TemplateView):
    template_name = "suppliers/portal/shipping.html"
    section = "shipping"

    def _rule(self):
        return SupplierShippingRule.objects.filter(partner=self.partner).first()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        rule = self._rule()
        if rule is None:
            fee, threshold = SupplierShippingRule.default_terms()
            rule = SupplierShippingRule(partner=self.partner, fee=fee, free_threshold=threshold)
        ctx.setdefault("form", ShippingRuleForm(instance=rule))
        ctx["has_rule"] = rule.pk is not None
        ctx["page_title"] = _("运费设置")
        return ctx

    def post(self, request, *args, **kwargs):
        rule = self._rule() or SupplierShippingRule(partner=self.partner)
        form = ShippingRuleForm(request.POST, instance=rule)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        form.save()
        messages.success(request, _("运费设置已保存，新订单按新规则计算。"))
        return redirect("suppliers:shipping")


def csv_safe(value) -> str:
    return spreadsheet_safe("" if value is None else str(value))


def sales_fact_note(fact) -> str:
    """What a sales fact is, for the CSV: its own note (offline sales), else counted or
    taken back (a refund, or units short or damaged at a procurement acceptance)."""
    if fact.note:
        return fact.note
    if fact.amount > 0 or (fact.amount == 0 and fact.quantity > 0):
        return _("计入销售")
    if fact.channel == SalesChannel.CONSUMER:
        return _("退款")
    return _("退款/冲减")


class SalesView(SupplierMixin, TemplateView):
    """The supplier's net sales in a date range (this month by default), from the same sales
    facts as the bureau's reports; ``?format=csv`` exports every fact."""

    template_name = "suppliers/portal/sales.html"
    section = "sales"

    def _range(self):
        """The form and the range: this month unless valid dates are given."""
        today = timezone.localdate()
        initial = {"date_from": today.replace(day=1), "date_to": today}
        params = self.request.GET
        if "date_from" not in params and "date_to" not in params:
            return SalesFilterForm(initial=initial), initial["date_from"], initial["date_to"]
        form = SalesFilterForm(params)
        if form.is_valid():
            return form, form.cleaned_data["date_from"], form.cleaned_data["date_to"]
        return form, initial["date_from"], initial["date_to"]

    def get(self, request, *args, **kwargs):
        form, start, end = self._range()
        if request.GET.get("format") == "csv" and not form.errors:
            return self._csv(start, end)
        return self.render_to_response(self.get_context_data(form=form, start=start, end=end))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["summary"] = supplier_sales_summary(
            partner=self.partner, date_from=ctx["start"], date_to=ctx["end"]
        )
        ctx["page_title"] = _("销售统计")
        return ctx

    def _csv(self, start: datetime.date, end: datetime.date) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="sales-{start.isoformat()}-{end.isoformat()}.csv"'
        )
        response.write("\ufeff")  # so that Excel reads UTF-8
        writer = csv.writer(response)
        writer.writerow(
            [
                _("日期"),
                _("订单号"),
                _("渠道"),
                _("商品"),
                _("SKU"),
                _("数量"),
                _("金额"),
                _("说明"),
            ]
        )
        for fact in supplier_sales_export(partner=self.partner, date_from=start, date_to=end):
            line, product = fact.line, fact.product
            writer.writerow(
                [
                    fact.date.isoformat(),
                    csv_safe(fact.order.number if fact.order else ""),
                    csv_safe(fact.get_channel_display()),
                    csv_safe(line.title if line else (product.title if product else "")),
                    csv_safe(line.partner_sku if line else ""),
                    fact.quantity,
                    fact.amount,
                    csv_safe(sales_fact_note(fact)),
                ]
            )
        return response


class MarkNoticeReadView(SupplierMixin, View):
    def post(self, request, pk: int):
        notices_mark_read(partner=self.partner, notice_ids=[pk])
        return redirect("suppliers:notices")
