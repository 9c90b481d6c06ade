"""The base of the domain apps' refusals: a Chinese message for the user (the class's
``default_message`` unless one is given) and the HTTP status the API answers it with."""

from django.utils.translation import gettext as _


class DomainError(Exception):
    status_code = 400
    default_message = ""

    def __init__(self, message: str | None = None):
        self.message = message or _(self.default_message)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message
