from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.index, name="index"),
    path("export.xlsx", views.export, name="export"),
    path("from-vote/", views.create_for_vote, name="create_for_vote"),
    path("satisfaction-vote/", views.satisfaction_vote, name="satisfaction_vote"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/group/", views.group, name="group"),
    path("<int:pk>/milestones/new/", views.milestone_add, name="milestone_add"),
    path("<int:pk>/complete/", views.complete, name="complete"),
    path("<int:pk>/terminate/", views.terminate, name="terminate"),
    path("<int:pk>/reports/new/", views.report_add, name="report_add"),
    path("<int:pk>/inspections/new/", views.inspection_add, name="inspection_add"),
    path("milestones/<int:milestone_id>/edit/", views.milestone_edit, name="milestone_edit"),
    path("milestones/<int:milestone_id>/done/", views.milestone_done, name="milestone_done"),
    path("photos/<int:photo_id>/", views.photo, name="photo"),
    path("public/", views.public_list, name="public_list"),
    path("public/<int:pk>/", views.public_detail, name="public_detail"),
    path("public/photos/<int:photo_id>/", views.public_photo, name="public_photo"),
]
