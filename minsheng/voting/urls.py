from django.urls import path

from . import views

app_name = "voting"

urlpatterns = [
    path("", views.index, name="index"),
    # /votes/dashboard/ (the three-level dashboard) is minsheng/insights: it reads projects too.
    path("results/", views.public_results, name="public_results"),
    path("receipt/", views.receipt, name="receipt"),
    path("solicitations/new/", views.solicitation_create, name="solicitation_create"),
    path("solicitations/<int:pk>/", views.solicitation_detail, name="solicitation"),
    path("solicitations/<int:pk>/open/", views.solicitation_open, name="solicitation_open"),
    path("solicitations/<int:pk>/close/", views.solicitation_close, name="solicitation_close"),
    path("solicitations/<int:pk>/propose/", views.propose, name="propose"),
    path("solicitations/<int:pk>/candidates/new/", views.candidate_add, name="candidate_add"),
    path("solicitations/<int:pk>/votes/new/", views.vote_create, name="vote_create"),
    path("proposals/<int:pk>/screen/", views.proposal_screen, name="proposal_screen"),
    path("<int:pk>/", views.vote_detail, name="vote"),
    path("<int:pk>/open/", views.vote_open, name="open"),
    path("<int:pk>/close/", views.vote_close, name="close"),
    path("<int:pk>/publish/", views.vote_publish, name="publish"),
    path("<int:pk>/runoff/", views.runoff_decide, name="runoff"),
    path("<int:pk>/check-in/", views.checkin, name="checkin"),
    path("<int:pk>/check-in/count/", views.checkin_count, name="checkin_count"),
    path("<int:pk>/check-in/<int:deputy_id>/", views.checkin_deputy, name="checkin_deputy"),
    path("<int:pk>/paper/", views.paper_entry, name="paper"),
    path("<int:pk>/paper/<int:deputy_id>/collected/", views.paper_collected, name="paper_collected"),
    path("<int:pk>/result/", views.result, name="result"),
    path("<int:pk>/result.pdf", views.result_pdf, name="result_pdf"),
    path("<int:pk>/result.xlsx", views.result_xlsx, name="result_xlsx"),
    path("<int:pk>/public/", views.public_result, name="public_result"),
    path("<int:pk>/ballot/", views.ballot, name="ballot"),
]
