from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "minsheng.activities"
    label = "activities"
    verbose_name = _("Deputies' activities")

    def ready(self):
        from minsheng.cases import origins
        from minsheng.common.audit import register_verbs
        from minsheng.stations import public_blocks

        from . import campaign_permissions, permissions, pickers  # noqa: F401
        from .selectors import case_reception_origin, station_public_reception_days

        register_verbs(
            {
                "reception.recorded": _("recorded a reception"),
                "reception.updated": _("updated a reception"),
                "reception.case_created": _("recorded a reception as a case"),
                "reception.case_linked": _("linked a reception to a case"),
                "reception.case_unlinked": _("unlinked a reception from its case"),
                "reception.archived": _("archived a reception (every matter answered and the visitor told)"),
                "reception_day.scheduled": _("scheduled a reception day"),
                "reception_day.changed": _("changed a reception day"),
                "reception_day.cancelled": _("cancelled a reception day"),
                "reception_matter.answered": _("recorded the answer to a matter"),
                "reception_matter.feedback": _("recorded that the visitor was told the answer"),
                "campaign.created": _("created a campaign"),
                "campaign.updated": _("updated a campaign"),
            }
        )
        register_verbs(
            {
                "activity_kind.created": _("added a kind of activity"),
                "activity.created": _("planned an activity"),
                "activity.updated": _("updated an activity"),
                "activity.held": _("recorded an activity as held"),
                "activity.cancelled": _("cancelled an activity"),
                "activity.invited": _("invited deputies to an activity"),
                "activity.signed_up": _("signed up for an activity"),
                "activity.checked_in": _("signed in to an activity"),
                "activity.attendance_marked": _("recorded attendance at an activity"),
                "activity.token_rotated": _("renewed an activity's sign-in code"),
                "activity.photo_added": _("added a photo to an activity"),
                "activity.report_added": _("added an activity's report"),
                "activity.case_linked": _("linked an activity to a case"),
                "activity.concern_added": _("linked an activity to a project"),
                "activity.suggestion_created": _("recorded a suggestion from an activity"),
            }
        )
        origins.register(case_reception_origin)
        public_blocks.register(station_public_reception_days)
