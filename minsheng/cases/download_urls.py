"""Downloads of cases under /cases/stats/ (included before the cases URLs): the case list in Excel and the
answer letter, the day's list of assignments (交办清单). The namespace keeps its old name, `cases_stats`, because the case page and the statistics page
link here by it; the statistics themselves are minsheng/insights (`insights:case_stats`)."""

from django.urls import path

from . import download_views
from .views import printing

app_name = "cases_stats"
urlpatterns = [
    path("cases.xlsx", download_views.case_export, name="case_export"),
    path("answers/<int:answer_id>/letter.pdf", download_views.answer_letter, name="answer_letter"),
    path("assignments.pdf", printing.assignment_list, name="assignment_list"),
]
