"""Background jobs of cases, run by `manage.py db_worker`; the daily ones are enqueued by `manage.py scheduler`."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from minsheng.accounts.models import User
from minsheng.notifications.services import notify

from .models import Assignment, Case, Cosigner
from .rating_reminders import rating_reminders_send
from .reminders import reminders_send
from .rollup import rollup_refresh


@task()
def notify_assignment(*, case_id: int) -> int:
    """Tell the handlers of each newly assigned unit."""
    case = Case.objects.get(pk=case_id)
    units = Assignment.objects.filter(
        case=case, round=case.round, status=Assignment.Status.PENDING
    ).values_list("unit_id", flat=True)
    handlers = User.objects.filter(unit_id__in=list(units), role=User.Role.UNIT_HANDLER, is_active=True)
    with translation.override("zh-hans"):
        text = _("New case assigned to your unit: %(number)s %(title)s") % {
            "number": case.number,
            "title": case.title,
        }
    return len(notify(handlers, text=text, link=reverse("cases:detail", args=[case.pk])))


@task()
def notify_cosigners(*, case_id: int) -> int:
    """联名: tell each deputy named as co-signer (and not yet answered) to confirm or decline."""
    case = Case.objects.select_related("lead_deputy").get(pk=case_id)
    invited = Cosigner.objects.filter(case=case, status=Cosigner.Status.INVITED).values_list(
        "deputy_id", flat=True
    )
    deputies = User.objects.filter(deputy_id__in=list(invited), role=User.Role.DEPUTY, is_active=True)
    with translation.override("zh-hans"):
        text = _("%(lead)s named you as co-signer of case %(number)s: confirm or decline.") % {
            "lead": case.lead_deputy.name,
            "number": case.number,
        }
    return len(notify(deputies, text=text, link=reverse("cases:detail", args=[case.pk])))


@task()
def send_reminders() -> int:
    return reminders_send()


@task()
def refresh_case_stats() -> int:
    """Bring the statistics' summary table up to date (the changed congresses; all, on a new day)."""
    return rollup_refresh().rows


@task()
def rebuild_case_stats() -> int:
    """Rebuild the statistics' summary table from every case (nightly)."""
    return rollup_refresh(full=True).rows


@task()
def send_rating_reminders() -> int:
    """Remind the deputies to rate an answer: 7 days before the rating deadline and on the day (daily)."""
    return rating_reminders_send()
