class DemoHomePageMissingError(LookupError):
    """The Wagtail home page that migration frontend/0002 creates is not there."""
