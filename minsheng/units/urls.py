from django.urls import path

from . import views

app_name = "units"
urlpatterns = [
    path("", views.unit_list, name="list"),
    path("export/", views.unit_export, name="export"),
    path("add/", views.unit_create, name="create"),
    path("<int:unit_id>/", views.unit_detail, name="detail"),
    path("<int:unit_id>/edit/", views.unit_update, name="update"),
]
