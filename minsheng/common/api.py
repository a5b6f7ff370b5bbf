"""REST API plumbing shared by every app: pagination, errors in the user's language, permission classes.
(What the OpenAPI schema says of every operation is `schema.py`.)"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, pagination, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError
from .permissions import can

# The integers a database column holds (SQLite's INTEGER, PostgreSQL's bigint): 64 bits, signed.
DB_INTEGER_MAX = 2**63 - 1


class IdField(serializers.IntegerField):
    """The id of a row, in a query or a body: a positive integer the database can hold. A bare IntegerField
    lets `?congress=18446744073709551616` through to the query, where SQLite's driver raises OverflowError
    (a 500); this answers 400 naming the field."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", DB_INTEGER_MAX)
        super().__init__(**kwargs)


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {"detail": str(exc.message), "code": exc.code}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=exc.status_code)
    if isinstance(exc, OverflowError):
        # A number past what the database (or a date) holds reached a query: SQLite's driver raises
        # OverflowError. Bad input, not a server error; IdField refuses it earlier, naming the field.
        return Response(
            {"detail": str(_("A number in the request is too large.")), "code": "too_large"}, status=400
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)


class Can(permissions.BasePermission):
    """`permission_classes = [Can.to("deputies.view_list")]`: ask the app's rule for the view (and object)."""

    action: str = ""
    object_action: str | None = None

    @classmethod
    def to(cls, action: str, object_action: str | None = None) -> type["Can"]:
        return type(
            f"Can_{action.replace('.', '_')}", (cls,), {"action": action, "object_action": object_action}
        )

    def has_permission(self, request, view) -> bool:
        return can(request.user, self.action)

    def has_object_permission(self, request, view, obj) -> bool:
        return can(request.user, self.object_action, obj) if self.object_action else True


# The error answers every endpoint documents (`responses={**ERRORS, 200: ...}` in drf-spectacular).
ERRORS = {
    400: OpenApiResponse(description="Bad input: {detail, code, field} or the fields' errors"),
    403: OpenApiResponse(description="Not signed in, or not allowed to do this"),
    404: OpenApiResponse(description="Not there for the caller"),
    409: OpenApiResponse(description="Not allowed in the object's state; nothing changed"),
}
