"""The pages of the insights, at the paths they had in the apps they read (included at the root, before the
cases and votes URLs). The home page ("/", name `home`) is wired in minsheng/urls.py."""

from django.urls import path

from . import records_views, views

app_name = "insights"
urlpatterns = [
    path("cases/stats/", views.stats_index, name="case_stats"),
    path("cases/stats/export.xlsx", views.stats_export, name="case_stats_export"),
    path("votes/dashboard/", views.vote_dashboard, name="vote_dashboard"),
]

# The duty record (履职档案) and the duty points (履职积分): /deputies/<pk>/record/…, /points/… (records_views).
urlpatterns += records_views.urlpatterns
