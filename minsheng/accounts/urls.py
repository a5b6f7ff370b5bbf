from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("lockouts/", views.lockouts, name="lockouts"),
    path("donors/", views.donor_list, name="donor_list"),
    path("donors/register/", views.donor_register, name="donor_register"),
    path("donors/resubmit/", views.donor_resubmit, name="donor_resubmit"),
    path("donors/<int:pk>/", views.donor_detail, name="donor_detail"),
    path("donors/<int:pk>/verify/", views.donor_verify, name="donor_verify"),
    path("donors/<int:pk>/reject/", views.donor_reject, name="donor_reject"),
]
