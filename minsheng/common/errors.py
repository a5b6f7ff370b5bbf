"""Domain errors. Services raise these; views, the API and jobs turn them into answers in the user's language."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied


class DomainError(Exception):
    """A request that the rules refuse. `message` is translated and shown to the user as is."""

    status_code = 400

    def __init__(self, message, *, field: str | None = None, code: str = "invalid"):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code


class TransitionNotAllowed(DomainError):
    """An illegal state change: the object is not in a state that allows this move (HTTP 409)."""

    status_code = 409

    def __init__(self, message, *, code: str = "transition_not_allowed"):
        super().__init__(message, code=code)


class Conflict(DomainError):
    """A change that collides with the stored data (a duplicate, a stale version): HTTP 409."""

    status_code = 409


class PermissionDenied(DjangoPermissionDenied):
    """The actor may not do this. Subclasses Django's so views answer 403 without extra code."""
