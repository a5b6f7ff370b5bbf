from django.urls import path

from . import views

app_name = "deputies"
urlpatterns = [
    path("", views.deputy_list, name="list"),
    path("export/", views.deputy_export, name="export"),
    path("new/", views.deputy_create, name="create"),
    path("<int:pk>/", views.deputy_detail, name="detail"),
    path("<int:pk>/seats/add/", views.seat_add, name="seat_add"),
    path("<int:pk>/leading-cadre/", views.leading_cadre, name="leading_cadre"),
    path("seats/<int:seat_id>/end/", views.seat_end, name="seat_end"),
]
