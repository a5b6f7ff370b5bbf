"""The pickers' type-ahead over the API (issue 12): `GET /api/v1/pick/<kind>/?q=&for=` with kind one of
deputies, units, places, congresses. Signed in only; the options are those the form named by `for` accepts
(`pickers.py`), at most 20, the likely ones first."""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from . import pickers
from .api import ERRORS


class PickOptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    hint = serializers.CharField(
        allow_blank=True, help_text="why the option is offered first, or where it is"
    )


class PickView(APIView):
    permission_classes = [permissions.IsAuthenticated]
    kind = ""

    def get(self, request):
        options = pickers.pick(
            request.user,
            kind=self.kind,
            q=request.query_params.get("q", ""),
            context=request.query_params.get("for", ""),
        )
        return Response(PickOptionSerializer(options, many=True).data)


def _view(kind: str, summary: str):
    contexts = ", ".join(c or "(none)" for c in pickers.contexts(kind)) or "(none)"

    def get(self, request):  # a function of its own per kind: extend_schema marks the function
        return PickView.get(self, request)

    cls = type(f"Pick{kind.title()}View", (PickView,), {"kind": kind, "get": get})
    cls.get = extend_schema(
        operation_id=f"pick_{kind}",
        summary=summary,
        parameters=[
            OpenApiParameter("q", str, description="a name, part of it, or its pinyin or pinyin initials"),
            OpenApiParameter(
                "for", str, description="the form picked for, `<context>:<id>` (contexts: see the README)"
            ),
        ],
        responses={200: PickOptionSerializer(many=True), **ERRORS},
        description=f"Registered contexts when the schema was generated: {contexts}.",
    )(cls.get)
    return cls.as_view()


urlpatterns = [
    path("pick/deputies/", _view("deputies", "Deputies to pick for a form"), name="pick-deputies"),
    path("pick/units/", _view("units", "Units to pick for a form"), name="pick-units"),
    path("pick/places/", _view("places", "Places to pick for a form"), name="pick-places"),
    path("pick/congresses/", _view("congresses", "Congresses to pick for a form"), name="pick-congresses"),
]
