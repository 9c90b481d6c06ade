"""Private file storage for certification documents: outside ``MEDIA_ROOT``, no URL.

The location is read from ``SUPPLIERS_PRIVATE_ROOT`` on every use (not cached at import) so
that tests and deployments can point it elsewhere.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    @property
    def base_location(self):
        return str(settings.SUPPLIERS_PRIVATE_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("private files have no public URL; use suppliers:document")


def private_storage() -> PrivateStorage:
    return _storage


_storage = PrivateStorage()
