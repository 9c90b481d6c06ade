"""What every portal and review page shares: who the user acts for."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from ..access import reviewer_for_user, supplier_for_user


class SupplierMixin(LoginRequiredMixin):
    """The page belongs to the user's supplier (``self.partner``). A user who works for no
    supplier is sent to the application page (GET) or refused (POST)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.partner = supplier_for_user(request.user)
        if self.partner is None:
            if request.method == "GET":
                return redirect("suppliers:apply")
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["partner"] = self.partner
        ctx["portal_section"] = getattr(self, "section", "")
        return ctx


class ReviewerMixin(LoginRequiredMixin):
    """Bureau staff (``self.staff``), or a superuser for the listing queue."""

    allow_superuser = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.staff = reviewer_for_user(request.user)
        if self.staff is None and not (self.allow_superuser and request.user.is_superuser):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["staff"] = self.staff
        ctx["review_section"] = getattr(self, "section", "")
        return ctx
