"""The pages of the insights, at the paths they had in the apps they read (included at the root, before the
cases and votes URLs). The home page ("/", name `home`) is wired in minsheng/urls.py."""

from django.urls import path

from . import campaign_views, contribution_views, records_views, views

app_name = "insights"
urlpatterns = [
    path("cases/stats/", views.stats_index, name="case_stats"),
    path("cases/stats/export.xlsx", views.stats_export, name="case_stats_export"),
    path("votes/dashboard/", views.vote_dashboard, name="vote_dashboard"),
    path("campaigns/<int:pk>/", campaign_views.campaign_dashboard, name="campaign_dashboard"),
    path("campaigns/<int:pk>/refresh/", campaign_views.campaign_refresh, name="campaign_refresh"),
    path("funds/", contribution_views.contribution_list, name="contributions"),
    path("funds/new/", contribution_views.contribution_new, name="contribution_new"),
    path("funds/<int:pk>/", contribution_views.contribution_detail, name="contribution"),
    path("funds/<int:pk>/receive/", contribution_views.contribution_receive, name="contribution_receive"),
    path("funds/<int:pk>/cancel/", contribution_views.contribution_cancel, name="contribution_cancel"),
    path("funds/<int:pk>/receipt/", contribution_views.contribution_receipt, name="contribution_receipt"),
]

# The duty record (履职档案) and the duty points (履职积分): /deputies/<pk>/record/…, /points/… (records_views).
urlpatterns += records_views.urlpatterns
