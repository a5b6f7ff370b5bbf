from django.urls import path

from . import views

app_name = "stations"
urlpatterns = [
    path("", views.public_list, name="public_list"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.public_detail, name="public_detail"),
    path("<int:pk>/manage/", views.manage, name="manage"),
    path("<int:pk>/manage/attach/", views.attach, name="attach"),
    path("<int:pk>/manage/detach/", views.detach, name="detach"),
]
