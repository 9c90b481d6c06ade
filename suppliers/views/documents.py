"""Certification documents, served from private storage after a permission check."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404
from django.views import View

from ..access import reviewer_for_user
from ..selectors import document_for_user


class DocumentView(LoginRequiredMixin, View):
    """The supplier's own users, reviewers whose region covers the supplier and superusers
    may read a document; anyone else gets a 404. Always sent as a download
    (``Content-Disposition: attachment``), never sniffed, under a sandboxing policy: a PDF
    whose body is HTML, or an SVG, can never run in the site's origin."""

    def get(self, request, pk: int):
        doc = document_for_user(user=request.user, pk=pk, staff=reviewer_for_user(request.user))
        try:
            handle = doc.file.open("rb")
        except FileNotFoundError:
            raise Http404
        name = f"{doc.get_kind_display()}-{doc.pk}.{doc.file.name.rsplit('.', 1)[-1]}"
        response = FileResponse(
            handle, content_type=doc.content_type, as_attachment=True, filename=name
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
        return response
