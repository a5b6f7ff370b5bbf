from django.urls import path

from . import calendar_views

app_name = "calendar"

urlpatterns = [
    path("", calendar_views.calendar_index, name="index"),
    path("<int:year>/", calendar_views.calendar_year, name="year"),
    path("<int:year>/template.xlsx", calendar_views.calendar_template, name="template"),
]
