import logging

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from oscar.apps.customer import mixins as oscar_mixins
from oscar.apps.customer.signals import user_registered
from oscar.core.compat import get_user_model

logger = logging.getLogger(__name__)
User = get_user_model()


class RegisterUserMixin(oscar_mixins.RegisterUserMixin):
    """Oscar's registration, signing the new shopper in through ``authenticate(request, ...)``.

    Oscar authenticates without the request, which django-axes refuses
    (``AxesBackendRequestParameterRequired``): the account was created and the shopper saw a
    server error. With the request the lockout applies as on the login page: an address locked
    on this client is registered but not signed in, and axes answers with its lockout page.
    """

    def register_user(self, form):
        user = form.save()
        user_registered.send_robust(sender=self, request=self.request, user=user)
        if getattr(settings, "OSCAR_SEND_REGISTRATION_EMAIL", True):
            self.send_registration_email(user)
        try:
            signed_in = authenticate(
                self.request, username=user.email, password=form.cleaned_data["password1"]
            )
        except User.MultipleObjectsReturned:
            # Two registrations raced with case variants of one address and one password:
            # neither may be signed in by that pair; the shopper signs in after support merges.
            logger.warning("Registration of user %s matched several accounts", user.pk)
            signed_in = None
        if signed_in is not None:
            auth_login(self.request, signed_in)
        return user
