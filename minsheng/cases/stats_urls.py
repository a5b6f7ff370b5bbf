"""Statistics, exports and the answer letter of cases, under /cases/stats/ (included before the cases URLs)."""

from django.urls import path

from . import stats_views

app_name = "cases_stats"
urlpatterns = [
    path("", stats_views.stats_index, name="index"),
    path("export.xlsx", stats_views.stats_export, name="export"),
    path("cases.xlsx", stats_views.case_export, name="case_export"),
    path("answers/<int:answer_id>/letter.pdf", stats_views.answer_letter, name="answer_letter"),
]
