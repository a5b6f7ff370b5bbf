from django.urls import path

from . import views

app_name = "places"
urlpatterns = [
    path("", views.place_list, name="list"),
    path("<str:code>/", views.place_detail, name="detail"),
    path("<str:code>/add/", views.place_create, name="create"),
    path("<str:code>/rename/", views.place_rename, name="rename"),
]
