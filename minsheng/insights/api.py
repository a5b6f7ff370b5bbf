"""REST API of the insights.

- /api/v1/votes/dashboard/: the three-level vote dashboard (staff, scoped to their region): ?year=&level=&state=.
  The path is the one it had under the votes API; minsheng/urls.py puts it before the router, so that the votes'
  `votes/<pk>/` does not take it.
"""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from minsheng.common.api import ERRORS

from . import selectors
from .serializers import DashboardSerializer


class VoteDashboardView(APIView):
    # As under the votes API (the same schema); the selector refuses whoever is not staff.
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="The three-level dashboard: each congress in the caller's staff scope, its solicitation and "
        "votes of the year, with totals (staff)",
        parameters=[
            OpenApiParameter("year", int, description="default: this year"),
            OpenApiParameter("level", str, enum=list(selectors.LEVEL_DEPTH)),
            OpenApiParameter(
                "state", str, enum=list(selectors.DASHBOARD_STATES), description="a vote's status, or none"
            ),
        ],
        responses={200: DashboardSerializer, **ERRORS},
    )
    def get(self, request):
        dash = selectors.dashboard_for(request.user, **selectors.dashboard_query(request.query_params))
        return Response(DashboardSerializer(dash).data)


urlpatterns = [
    path("votes/dashboard/", VoteDashboardView.as_view(), name="vote-dashboard"),
]
