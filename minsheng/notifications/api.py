"""REST API of notifications: /api/v1/me/notification-preferences/ (GET, PUT, PATCH) — the signed-in user's
choice of channels (in the app always; e-mail, SMS, a daily digest instead). minsheng/urls.py puts it before
the router."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from minsheng.common.api import ERRORS

from .services import preference_of, preference_save


class PreferenceSerializer(serializers.Serializer):
    email = serializers.BooleanField(
        help_text=_("A copy of each notification by e-mail (to the account's address).")
    )
    sms = serializers.BooleanField(
        help_text=_("A copy of each notification by SMS (to the account's mobile).")
    )
    digest = serializers.BooleanField(
        help_text=_("The day's e-mail and SMS copies collected and sent once a day as one message.")
    )
    has_email = serializers.BooleanField(read_only=True)
    has_mobile = serializers.BooleanField(read_only=True)


def _answer(user, preference) -> Response:
    data = {
        "email": preference.email,
        "sms": preference.sms,
        "digest": preference.digest,
        "has_email": bool(user.email),
        "has_mobile": bool(user.mobile),
    }
    return Response(PreferenceSerializer(data).data)


class PreferenceView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(summary="How my notifications reach me", responses={200: PreferenceSerializer, **ERRORS})
    def get(self, request):
        return _answer(request.user, preference_of(request.user))

    @extend_schema(
        summary="Choose how my notifications reach me",
        request=PreferenceSerializer,
        responses={200: PreferenceSerializer, **ERRORS},
    )
    def put(self, request):
        return self._save(request, partial=False)

    @extend_schema(
        summary="Change some of my notification channels",
        request=PreferenceSerializer(partial=True),
        responses={200: PreferenceSerializer, **ERRORS},
    )
    def patch(self, request):
        return self._save(request, partial=True)

    def _save(self, request, *, partial: bool) -> Response:
        current = preference_of(request.user)
        incoming = PreferenceSerializer(data=request.data, partial=partial)
        incoming.is_valid(raise_exception=True)
        values = {
            "email": current.email,
            "sms": current.sms,
            "digest": current.digest,
            **incoming.validated_data,
        }
        return _answer(request.user, preference_save(actor=request.user, **values))


urlpatterns = [
    path("me/notification-preferences/", PreferenceView.as_view(), name="notification-preferences"),
]
