from django.urls import path

from . import views

app_name = "congresses"
urlpatterns = [
    path("", views.congress_list, name="list"),
    path("<int:congress_id>/", views.congress_detail, name="detail"),
    path("<int:congress_id>/terms/add/", views.term_create, name="term_create"),
    path("<int:congress_id>/terms/<int:term_id>/sessions/add/", views.session_create, name="session_create"),
]
