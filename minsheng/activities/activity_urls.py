"""Activity pages under /activities/ (namespace `activities`, shared with the reception pages under
/stations/: minsheng/urls.py includes both lists under one namespace)."""

from django.urls import path

from . import activity_views as views

urlpatterns = [
    path("", views.activity_list, name="activity_list"),
    path("export/", views.activity_export, name="activity_export"),
    path("new/", views.activity_new, name="activity_new"),
    path("mine/", views.my_activities, name="my_activities"),
    path("kinds/", views.activity_kinds, name="activity_kinds"),
    path("checks/", views.checks_page, name="checks"),
    path("checks/export/", views.checks_export, name="checks_export"),
    path("electoral-unit/", views.electoral_unit_check, name="electoral_unit_check"),
    path("electoral-unit/export/", views.electoral_unit_export, name="electoral_unit_export"),
    path("checkin/<str:token>/", views.activity_checkin, name="activity_checkin"),
    path("photos/<int:photo_id>/", views.activity_photo_file, name="activity_photo_file"),
    path("<int:pk>/", views.activity_detail, name="activity_detail"),
    path("<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("<int:pk>/qr/", views.activity_qr, name="activity_qr"),
    path("<int:pk>/qr.png", views.activity_qr_png, name="activity_qr_png"),
    path("<int:pk>/report/", views.activity_report_file, name="activity_report_file"),
    path("<int:pk>/hold/", views.activity_hold, name="activity_hold"),
    path("<int:pk>/cancel/", views.activity_cancel, name="activity_cancel"),
    path("<int:pk>/invite/", views.activity_invite, name="activity_invite"),
    path("<int:pk>/attendance/", views.activity_attendance, name="activity_attendance"),
    path("<int:pk>/rotate/", views.activity_rotate, name="activity_rotate"),
    path("<int:pk>/photos/", views.activity_photo, name="activity_photo"),
    path("<int:pk>/report/upload/", views.activity_report, name="activity_report"),
    path("<int:pk>/suggestion/", views.activity_suggestion, name="activity_suggestion"),
    path("<int:pk>/link-case/", views.activity_link_case, name="activity_link_case"),
    path("<int:pk>/signup/", views.activity_signup, name="activity_signup"),
]
