"""REST API plumbing shared by every app: pagination, errors in the user's language, permission classes."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, pagination, permissions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError
from .permissions import can


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
