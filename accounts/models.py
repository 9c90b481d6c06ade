from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.customer.abstract_models import AbstractUser


class User(AbstractUser):
    """A person who signs in with an email address (Oscar's email-first user)."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def get_full_name(self) -> str:
        # Chinese names read family name first, without a space.
        full = f"{self.last_name}{self.first_name}".strip()
        return full or self.email


class RequestCounter(models.Model):
    """How many requests of one kind (``scope``) one key (an address, a client IP) made in one
    fixed window. In the database, not the cache, so that a throttle holds with Redis down."""

    scope = models.CharField(_("类别"), max_length=40)
    key = models.CharField(_("键"), max_length=254)
    window_start = models.DateTimeField(_("时段开始"))
    count = models.PositiveIntegerField(_("次数"), default=0)

    class Meta:
        verbose_name = _("请求计数")
        verbose_name_plural = _("请求计数")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key", "window_start"], name="accounts_request_counter_window"
            ),
        ]
        indexes = [models.Index(fields=["window_start"], name="accounts_counter_window_idx")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} {self.window_start:%Y-%m-%d %H:%M}: {self.count}"
