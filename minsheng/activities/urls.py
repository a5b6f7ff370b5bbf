"""Reception pages, included under /stations/ (their paths from the time receptions lived in stations)."""

from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("<int:pk>/receptions/", views.reception_log, name="receptions"),
    path("<int:pk>/receptions/export/", views.reception_export, name="reception_export"),
    path("<int:pk>/receptions/new/", views.reception_new, name="reception_new"),
    path("receptions/mine/", views.my_receptions, name="my_receptions"),
    path("receptions/<int:pk>/", views.reception_detail, name="reception_detail"),
    path("receptions/<int:pk>/edit/", views.reception_edit, name="reception_edit"),
    path("receptions/<int:pk>/print.pdf", views.reception_print, name="reception_print"),
    path("receptions/<int:pk>/to-case/", views.reception_to_case, name="reception_to_case"),
    path("receptions/<int:pk>/link/", views.reception_link, name="reception_link"),
    path("receptions/<int:pk>/unlink/", views.reception_unlink, name="reception_unlink"),
    path("<int:pk>/reception-days/", views.reception_days, name="reception_days"),
    path("<int:pk>/reception-days/export/", views.reception_days_export, name="reception_days_export"),
    path("<int:pk>/reception-days/new/", views.reception_day_new, name="reception_day_new"),
    path("reception-days/<int:pk>/edit/", views.reception_day_edit, name="reception_day_edit"),
    path("reception-days/<int:pk>/cancel/", views.reception_day_cancel, name="reception_day_cancel"),
    path("<int:pk>/matters/", views.matter_queue, name="matters"),
    path("<int:pk>/matters/export/", views.matter_export, name="matter_export"),
    path("matters/unit/", views.unit_matters, name="unit_matters"),
    path("matters/<int:pk>/answer/", views.matter_answer, name="matter_answer"),
    path("matters/<int:pk>/feedback/", views.matter_feedback, name="matter_feedback"),
]
