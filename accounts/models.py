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
