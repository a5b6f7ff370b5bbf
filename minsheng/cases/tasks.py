"""Background jobs of cases, run by `manage.py db_worker`; the daily ones are enqueued by `manage.py scheduler`."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from minsheng.accounts.models import User
from minsheng.notifications.services import notify

from .models import Assignment, Case, Cosigner
from .rating_reminders import rating_reminders_send
from .reminders import reminders_send


@task()
def notify_assignment(*, case_id: int) -> int:
    """Tell the handlers of each newly assigned unit. Safe to run twice: once per handler and assignment."""
    case = Case.objects.get(pk=case_id)
    pending = Assignment.objects.filter(case=case, round=case.round, status=Assignment.Status.PENDING)
    with translation.override(settings.LANGUAGE_CODE):
        text = _("New case assigned to your unit: %(number)s %(title)s") % {
            "number": case.number,
            "title": case.title,
        }
    link = reverse("cases:detail", args=[case.pk])
    told = 0
    for assignment_id, unit_id in pending.order_by("id").values_list("id", "unit_id"):
        handlers = User.objects.filter(unit_id=unit_id, role=User.Role.UNIT_HANDLER, is_active=True)
        told += len(notify(handlers, text=text, link=link, key=f"assignment:{assignment_id}"))
    return told


@task()
def notify_cosigners(*, case_id: int) -> int:
    """联名: tell each deputy named as co-signer (and not yet answered) to confirm or decline. Safe to run twice:
    once per deputy and invitation."""
    case = Case.objects.select_related("lead_deputy").get(pk=case_id)
    invited = Cosigner.objects.filter(case=case, status=Cosigner.Status.INVITED).order_by("id")
    with translation.override(settings.LANGUAGE_CODE):
        text = _("%(lead)s named you as co-signer of case %(number)s: confirm or decline.") % {
            "lead": case.lead_deputy.name,
            "number": case.number,
        }
    link = reverse("cases:detail", args=[case.pk])
    told = 0
    for invitation_id, deputy_id in invited.values_list("id", "deputy_id"):
        deputies = User.objects.filter(deputy_id=deputy_id, role=User.Role.DEPUTY, is_active=True)
        told += len(notify(deputies, text=text, link=link, sms=True, key=f"cosigner:{invitation_id}"))
    return told


@task()
def send_reminders() -> int:
    return reminders_send()


@task()
def send_rating_reminders() -> int:
    """Remind the deputies to rate an answer: 7 days before the rating deadline and on the day (daily)."""
    return rating_reminders_send()
