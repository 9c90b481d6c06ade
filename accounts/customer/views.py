from django.conf import settings
from django.utils.module_loading import import_string
from oscar.apps.customer import views as oscar_views


class AccountAuthView(oscar_views.AccountAuthView):
    """Oscar's sign-in and registration page. Signed in without a ``next`` page, a user lands
    on the portal of their role: the function named by ``settings.LOGIN_LANDING`` says which
    (``frontend.landing.landing_url``: the project wires the top layer in, this app does not
    import it); ``next`` is always respected."""

    def get_login_success_url(self, form):
        if form.cleaned_data["redirect_url"]:
            return form.cleaned_data["redirect_url"]
        landing = getattr(settings, "LOGIN_LANDING", "")
        url = import_string(landing)(self.request.user) if landing else None
        return url or super().get_login_success_url(form)
