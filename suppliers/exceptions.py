class SupplierError(Exception):
    """A supplier or reviewer action that was refused; ``str()`` is the Chinese reason."""

    default_message = ""

    def __init__(self, message: str | None = None):
        super().__init__(message or str(self.default_message))


class CertificationTransitionError(SupplierError):
    """The certification is not in a state that allows this decision; nothing changed."""


class CertificationPermissionError(SupplierError):
    """The user may not take this decision (wrong level, or outside their region)."""


class CertificationApplicationOpenError(SupplierError):
    """The supplier already has an application under way."""


class DocumentInvalidError(SupplierError):
    """An upload is not an accepted PDF/JPG/PNG, is too large, or cannot be read."""


class ListingTransitionError(SupplierError):
    """The product's listing state does not allow this step; nothing changed."""


class ListingPermissionError(SupplierError):
    """The user may not review this product's listing."""


class SupplierNotCertifiedError(SupplierError):
    """Only a validly certified supplier can submit products for listing."""


class ShipmentNotAllowedError(SupplierError):
    """The order is not (or no longer) in a state in which this supplier ships."""


class ShipmentLineNotFoundError(SupplierError):
    """A line in the shipment is not one of this supplier's lines of the order."""


class ShipmentQuantityError(SupplierError):
    """A quantity is not positive or exceeds what is left to ship; nothing was saved."""


class ShipmentTrackingError(SupplierError):
    """The tracking number is not in the carrier's format; nothing was saved."""


class StockUpdateError(SupplierError):
    """A bulk stock/price update was refused as a whole; ``problems`` lists each row's reason."""

    def __init__(self, message: str, *, problems: list[dict]):
        super().__init__(message)
        self.problems = problems
