"""Who may do what in the points scheme: village clerks (记分员) for their villages,
supermarket managers for their supermarket, bureau staff for their region's subtree. The
services call these before writing; views and the API only turn refusals into messages."""

from procurement.access import bureau_region

from .exceptions import ClerkOutsideVillageError, PointsPermissionError
from .models import Supermarket, Village


def user_is_clerk(*, user, village: Village) -> bool:
    return user.is_authenticated and village.clerks.filter(pk=user.pk).exists()


def user_oversees(*, user, village: Village) -> bool:
    """Bureau staff whose region contains the village's town (superusers: everywhere)."""
    scope = bureau_region(user)
    return scope is not None and scope.contains(village.town)


def clerk_require_village(*, user, village: Village) -> None:
    if not user_is_clerk(user=user, village=village):
        raise ClerkOutsideVillageError()


def clerk_or_bureau_require(*, user, village: Village) -> None:
    """The village's clerks, or bureau staff over it."""
    if not (user_is_clerk(user=user, village=village) or user_oversees(user=user, village=village)):
        raise ClerkOutsideVillageError()


def bureau_require_village(*, user, village: Village) -> None:
    if not user_oversees(user=user, village=village):
        raise PointsPermissionError()


def manager_require(*, user, supermarket: Supermarket) -> None:
    if not (user.is_authenticated and supermarket.managers.filter(pk=user.pk).exists()):
        raise PointsPermissionError()
