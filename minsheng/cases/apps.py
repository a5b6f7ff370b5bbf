from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "minsheng.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from minsheng.common.audit import register_verbs

        from . import permissions, pickers  # noqa: F401 - rules and pickers register themselves

        register_verbs(
            {
                "case.created": _("recorded the case"),
                "case.updated": _("edited the case"),
                "case.verified": _("verified the wish at home"),
                "case.verification_failed": _("visited the home; the need was not confirmed"),
                "case.filed": _("filed the case"),
                "case.withdrawn": _("withdrew the case"),
                "case.accepted": _("accepted the case"),
                "case.refused": _("did not accept the case"),
                "case.returned": _("returned the case for revision"),
                "case.merged": _("merged the case into another"),
                "case.merged_in": _("merged a duplicate into the case"),
                "case.assigned": _("assigned the case"),
                "case.reassigned": _("reassigned the case"),
                "assignment.acknowledged": _("acknowledged the case"),
                "assignment.reassignment_requested": _("asked for reassignment"),
                "assignment.reassigned": _("reassigned a unit's part"),
                "assignment.confirmed": _("confirmed a unit's assignment"),
                "assignment.recorded": _("recorded handling"),
                "assignment.opinion_sent": _("sent the assisting opinion"),
                "case.document_added": _("attached a document"),
                "case.answer_given": _("answered"),
                "case.answered": _("all answers given"),
                "case.rated": _("rated the answer"),
                "case.closed": _("closed the case"),
                "case.followed_up": _("recorded a follow-up visit"),
                "case.priority_marked": _("marked the case for priority supervision"),
                "case.priority_lifted": _("lifted priority supervision"),
                "case.supervised": _("recorded supervision"),
                "case.published": _("published the answer"),
                "wish.on_wall": _("put the wish on the wish wall"),
                "wish.realised": _("the wish was realised"),
                "claim.created": _("claimed the wish"),
                "claim.withdrawn": _("withdrew a claim"),
                "claim.delivered": _("delivered the wish"),
                "claim.confirmed": _("confirmed the delivery"),
                "case.reminder_sent": _("sent a reminder"),
                "case.deadline_recomputed": _("recomputed a deadline with the official holiday schedule"),
                "case.cosign_confirmed": _("confirmed co-signing the case"),
                "case.cosign_declined": _("declined to co-sign; the name is removed from the co-signers"),
                "assignment.extension_requested": _("asked for an extension of the answer deadline"),
                "assignment.extension_granted": _("granted an extension of the answer deadline"),
                "assignment.extension_refused": _("refused an extension of the answer deadline"),
                "wish.fulfilled_by_unit": _("the handling unit delivered the wish itself (政府兜底)"),
            }
        )
        register_verbs({"case.closed_unrated": _("closed the case as not rated (未反馈)")})
        from minsheng.common.workdays import on_schedule_entered

        from .deadlines import recompute_case_deadlines

        on_schedule_entered("cases")(recompute_case_deadlines)

        from django.db.models.signals import post_delete, post_migrate, post_save

        from minsheng.congresses.models import Congress
        from minsheng.places.models import Place
        from minsheng.units.models import Unit

        from .pages import congresses_changed, places_changed, units_changed

        # signals only for cache invalidation (house style): a region's congress ids (selectors), the staff
        # list's drop-downs (views/lists.py)
        for model, changed in (
            (Congress, congresses_changed),
            (Unit, units_changed),
            (Place, places_changed),
        ):
            uid = f"cases_cache_{model._meta.model_name}"
            post_save.connect(changed, sender=model, dispatch_uid=f"{uid}_saved")
            post_delete.connect(changed, sender=model, dispatch_uid=f"{uid}_deleted")

        from .search import ensure_sqlite_triggers

        post_migrate.connect(ensure_sqlite_triggers, sender=self, dispatch_uid="cases_fts_triggers")
