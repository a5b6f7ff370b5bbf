from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalsConfig(AppConfig):
    name = "minsheng.appraisals"
    label = "appraisals"
    verbose_name = _("Appraisals")

    def ready(self):
        from minsheng.common.audit import register_verbs

        from . import permissions  # noqa: F401

        register_verbs(
            {
                "appraisal.created": _("created an appraisal"),
                "appraisal.configured": _("set the rules of an appraisal"),
                "appraisal.scoring_opened": _("opened the scoring"),
                "appraisal.scoring_closed": _("closed the scoring"),
                "appraisal.scores_entered": _("entered scores"),
                "appraisal.scores_imported": _("imported scores from Excel"),
                "appraisal.judge_submitted": _("a judge submitted the scores"),
                "appraisal.decision_recorded": _("recorded the organisers' decision on a tie"),
                "appraisal.computed": _("computed the result"),
                "appraisal.published": _("published the result (公示)"),
                "appraisal.corrected": _("corrected the published result"),
                "grade.granted": _("granted a grade"),
                "grade.review_started": _("started a review of a grade"),
                "grade.confirmed": _("confirmed a grade after review"),
                "grade.withdrawn": _("withdrew a grade"),
            }
        )
