from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from minsheng.accounts import api as accounts_api
from minsheng.activities import activity_api, activity_urls, campaign_api
from minsheng.activities import api as activities_api
from minsheng.activities import urls as reception_urls
from minsheng.cases import api as cases_api
from minsheng.common import calendar_api, pick_api
from minsheng.common import views as common_views
from minsheng.congresses import api as congresses_api
from minsheng.deputies import api as deputies_api
from minsheng.imports import api as imports_api
from minsheng.insights import api as insights_api
from minsheng.insights import contribution_api, records_api
from minsheng.insights import views as insights_views
from minsheng.notifications import api as notifications_api
from minsheng.places import api as places_api
from minsheng.projects import api as projects_api
from minsheng.stations import api as stations_api
from minsheng.units import api as units_api
from minsheng.voting import api as voting_api

# The API of every app (each lists its viewsets in `routes`), imported here so that lint-imports sees them.
API_MODULES = [
    calendar_api,
    places_api,
    congresses_api,
    deputies_api,
    stations_api,
    activities_api,
    activity_api,
    campaign_api,
    units_api,
    imports_api,
    accounts_api,
    cases_api,
    voting_api,
    projects_api,
    contribution_api,
]

# The administration site says whose it is, in the user's language (Django's default is "Django 管理").
admin.site.site_header = _("Minsheng administration")
admin.site.site_title = _("Minsheng administration")
admin.site.index_title = _("Site administration")

router = DefaultRouter()
for module in API_MODULES:
    for prefix, viewset, basename in module.routes:
        router.register(prefix, viewset, basename=basename)

api_patterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The API docs under the CSP (script-src 'self'): their scripts are drf-spectacular-sidecar's static files,
    # Swagger UI's start-up script is served by the split view (?script), ReDoc's page has no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html"),
        name="redoc",
    ),
    *insights_api.urlpatterns,  # before the router: /votes/dashboard/ is not a vote
    *records_api.urlpatterns,  # before the router: /deputies/<pk>/record/ is not a deputy
    *notifications_api.urlpatterns,  # before the router: /me/notification-preferences/ is not `me`
    *pick_api.urlpatterns,  # the pickers' type-ahead (common/pickers.py; providers registered by the apps)
    path("", include(router.urls)),
]

urlpatterns = [
    path("", insights_views.home, name="home"),
    path("healthz/", common_views.healthz, name="healthz"),
    path("favicon.ico", common_views.favicon, name="favicon"),
    # The language switch needs no CSRF token (the worst a forged one does is change a visitor's language), so
    # that the public pages served from the cache carry none (common/pagecache.py).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("accounts/", include("minsheng.accounts.urls")),
    path("places/", include("minsheng.places.urls")),
    path("congresses/", include("minsheng.congresses.urls")),
    path("deputies/", include("minsheng.deputies.urls")),
    path("stations/", include("minsheng.stations.urls")),
    path("activities/campaigns/", include("minsheng.activities.campaign_urls")),  # namespace `campaigns`
    # The activities wing under one namespace `activities`: receptions at their old paths under /stations/,
    # activities under /activities/.
    path(
        "",
        include(
            (
                [
                    path("stations/", include(reception_urls.urlpatterns)),
                    path("activities/", include(activity_urls.urlpatterns)),
                ],
                "activities",
            )
        ),
    ),
    path("units/", include("minsheng.units.urls")),
    path("imports/", include("minsheng.imports.urls")),
    path("", include("minsheng.insights.urls")),  # /cases/stats/, /votes/dashboard/: before cases and votes
    path("cases/stats/", include("minsheng.cases.download_urls")),
    path("cases/", include("minsheng.cases.urls")),
    path("votes/", include("minsheng.voting.urls")),
    path("projects/", include("minsheng.projects.urls")),
    path("notifications/", include("minsheng.notifications.urls")),
    path("calendar/", include("minsheng.common.urls")),
    path("api/v1/", include((api_patterns, "api"))),
    path("django-admin/", admin.site.urls),
]

# No route serves MEDIA_ROOT, in any settings and not in DEBUG: uploads leave only through the guarded views
# (minsheng.common.uploads.file_response), which check who asks. /media/... answers 404.
