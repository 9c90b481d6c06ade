"""Messages to suppliers: in the portal (``SupplierNotice``) and by email to its users."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..models import SupplierNotice
from ..portal_cache import suppliers_changed

logger = logging.getLogger(__name__)


def notice_create(
    *, partner, kind: str, message: str, dedupe_key: str | None = None, email: bool = False
) -> SupplierNotice | None:
    """Post a notice to the supplier's portal and, with ``email``, mail it to the supplier's
    users after commit. With a ``dedupe_key`` a notice is posted only once: a second call
    returns None and sends nothing."""
    if dedupe_key is not None:
        try:
            with transaction.atomic():
                notice = SupplierNotice.objects.create(
                    partner=partner, kind=kind, message=message, dedupe_key=dedupe_key
                )
        except IntegrityError:
            return None
    else:
        notice = SupplierNotice.objects.create(partner=partner, kind=kind, message=message)
    if email:
        recipients = [u.email for u in partner.users.filter(is_active=True) if u.email]
        if recipients:
            subject = _("【惠农集市】%(name)s：%(kind)s") % {
                "name": partner.name,
                "kind": notice.get_kind_display(),
            }
            body = (
                message
                + "\n\n"
                + _("请登录供应商中心查看：%(url)s")
                % {"url": settings.SITE_URL.rstrip("/") + "/supplier/"}
            )
            transaction.on_commit(
                lambda: send_mail(subject, body, None, recipients, fail_silently=False)
            )
    return notice


def notices_mark_read(*, partner, notice_ids: list[int] | None = None) -> int:
    """Mark the supplier's own notices (all unread ones, or those listed) as read."""
    from django.utils import timezone

    qs = SupplierNotice.objects.filter(partner=partner, read_at__isnull=True)
    if notice_ids is not None:
        qs = qs.filter(pk__in=notice_ids)
    suppliers_changed(partner_ids=[partner.pk])  # an UPDATE sends no signal
    return qs.update(read_at=timezone.now())
