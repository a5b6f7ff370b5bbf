"""What the case services tell the deputies of a case (issue 12): accepted, refused, returned, assigned and
answered. Each is written by `notifications.services.notify` inside the service's transaction, so a
notification (and its e-mail/SMS copies in the outbox) exists exactly when the step committed. The texts are
written once, in the installation's language, with a link to the case; each user's notification settings
decide which copies go out. (The co-signing invitation and the rating reminders: tasks.py and
rating_reminders.py.)"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from minsheng.accounts.models import User
from minsheng.notifications.services import notify

from .models import Case, Cosigner


def deputy_accounts(deputy_ids):
    """The active deputy accounts of these deputies."""
    return User.objects.filter(deputy_id__in=list(deputy_ids), role=User.Role.DEPUTY, is_active=True)


def _tell(case: Case, text: str, *, cosigners: bool = False) -> None:
    deputies = [case.lead_deputy_id]
    if cosigners:  # 联名: who confirmed co-signs the answer's rating too
        confirmed = case.cosigner_links.filter(status=Cosigner.Status.CONFIRMED)
        deputies += list(confirmed.values_list("deputy_id", flat=True))
    link = reverse("cases:detail", args=[case.pk])
    notify(deputy_accounts(dict.fromkeys(deputies)), text=text, link=link, sms=True)


def _names(case: Case) -> dict:
    return {"number": case.number or "", "title": case.title}


def case_accepted(case: Case) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Your case %(number)s «%(title)s» has been accepted.") % _names(case)
    _tell(case, text)


def case_refused(case: Case) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        reason = case.get_refuse_reason_display()
        if case.status_note:
            reason = f"{reason}（{case.status_note}）"
        text = _("Your case %(number)s «%(title)s» was not accepted: %(reason)s") % {
            **_names(case),
            "reason": reason,
        }
    _tell(case, text)


def case_returned(case: Case) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Your case %(number)s «%(title)s» was returned for revision: %(note)s") % {
            **_names(case),
            "note": case.status_note,
        }
    _tell(case, text)


def case_assigned(case: Case, units: list) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        text = _(
            "Your case %(number)s «%(title)s» was assigned to %(units)s; the answer is due by %(date)s."
        ) % {
            **_names(case),
            "units": "、".join(u.short_name or u.name for u in units),
            "date": case.answer_due.isoformat() if case.answer_due else "",
        }
    _tell(case, text)


def case_answered(case: Case) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        text = _(
            "Your case %(number)s «%(title)s» has been answered: read the answer and rate it by %(date)s."
        ) % {
            **_names(case),
            "date": case.rating_due.isoformat() if case.rating_due else "",
        }
    _tell(case, text, cosigners=True)
