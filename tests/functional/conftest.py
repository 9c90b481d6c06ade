import pytest


@pytest.fixture
def page_cache_on(settings):
    """Whole pages served from the cache to stateless visitors (off in the other tests, which
    read the response's template context)."""
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs the block and then its on-commit work, as a commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
