"""Campaign pages, included under /activities/campaigns/ (namespace `campaigns`)."""

from django.urls import path

from . import campaign_views

app_name = "campaigns"
urlpatterns = [
    path("", campaign_views.campaign_list, name="list"),
    path("new/", campaign_views.campaign_new, name="new"),
    path("<int:pk>/edit/", campaign_views.campaign_edit, name="edit"),
]
