"""What each role should do next (issue 12, "home pages that lead"): the role home's first block.

`next_steps_for(actor)` gathers the actor's open tasks from every wing — a vote to cast, an answer to rate, a
co-signing to confirm, an activity to attend; a reception day today, a matter waiting for its answer or its
feedback; an assignment to acknowledge or answer; the staff's cases late to assign or to answer, requests to
decide, contests to decide — and orders them: first what is late (the longest late first), then by date due,
then what has no date. Each source is one query of at most `PER_SOURCE + 1` rows (so the home knows there is
more and links to the full list): the cost is a fixed number of queries per role, whatever the data.

Nothing here decides who may do what: each source is a wing's selector scoped to the actor (the same reads the
wing's own lists use), so a step shown is a step the actor's lists show too.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.accounts.models import User
from minsheng.accounts.permissions import staff_scope_prefix
from minsheng.activities.models import Activity, Participation, ReceptionDay, ReceptionMatter
from minsheng.cases.models import Assignment, Case, ExtensionRequest, ReassignmentRequest
from minsheng.cases.selectors import apply_queue, case_scope_for, cosignings_pending_for, unit_inbox_for
from minsheng.common import clock
from minsheng.voting.selectors import open_votes_of_deputy

from .models import PointsContest

Role = User.Role

PER_SOURCE = 5  # the steps of one kind on the home; the rest behind the kind's "all" link
ACTIVITY_DAYS = 14  # activities to attend: those starting within this many days


@dataclass(frozen=True)
class Step:
    kind: str  # what sort of task (a CSS/test hook): vote, rate, cosign, returned, activity, reception_day, …
    action: str  # what to do, a short imperative ("Rate the answer")
    subject: str  # what it is about (a case's title, a vote's title)
    url: str
    due: dt.date | None = None
    today: dt.date = field(default_factory=clock.today, compare=False)

    @property
    def late_days(self) -> int:
        """Days past the date due (0 when not late or no date)."""
        return max(0, (self.today - self.due).days) if self.due else 0

    @property
    def is_late(self) -> bool:
        return self.late_days > 0

    @property
    def is_today(self) -> bool:
        return self.due == self.today


@dataclass(frozen=True)
class More:
    """A source that has more steps than the home shows: its label and its full list."""

    label: str
    url: str


@dataclass
class NextSteps:
    steps: list[Step]
    more: list[More]

    @property
    def late(self) -> int:
        return sum(1 for s in self.steps if s.is_late)


def order(steps: list[Step]) -> list[Step]:
    """Late first (the longest late first), then by date due (soonest first), then undated; ties by kind and
    subject so the order is stable."""
    return sorted(
        steps,
        key=lambda s: (
            0 if s.is_late else (1 if s.due else 2),
            s.due or dt.date.max,
            s.kind,
            s.subject,
        ),
    )


class _Collector:
    def __init__(self, today: dt.date):
        self.today = today
        self.steps: list[Step] = []
        self.more: list[More] = []

    def add(self, rows, make, *, more_label: str, more_url) -> None:
        """Take at most PER_SOURCE of `rows` (a queryset, evaluated once with one row more) as steps;
        `more_url` is the full list's address, or a function of the first row giving it."""
        rows = list(rows[: PER_SOURCE + 1])
        for row in rows[:PER_SOURCE]:
            kind, action, subject, url, due = make(row)
            self.steps.append(Step(kind, action, subject, url, due, today=self.today))
        if len(rows) > PER_SOURCE:
            self.more.append(More(more_label, more_url(rows[0]) if callable(more_url) else more_url))

    def result(self) -> NextSteps:
        return NextSteps(order(self.steps), self.more)


def _case_url(case_id: int) -> str:
    return reverse("cases:detail", args=[case_id])


def _deputy(actor, c: _Collector) -> None:
    deputy_id = actor.deputy_id
    if not deputy_id:
        return
    c.add(
        open_votes_of_deputy(deputy_id).order_by("id"),
        lambda v: ("vote", _("Cast your ballot"), v.title, reverse("voting:ballot", args=[v.pk]), c.today),
        more_label=_("All votes"),
        more_url=reverse("voting:index"),
    )
    mine = case_scope_for(actor).filter(lead_deputy_id=deputy_id)
    c.add(
        apply_queue(mine, "to_rate", today=c.today).order_by("rating_due", "id"),
        lambda k: ("rate", _("Rate the answer"), k.title, _case_url(k.pk), k.rating_due),
        more_label=_("All answers to rate"),
        more_url=reverse("cases:list") + "?queue=to_rate",
    )
    c.add(
        mine.filter(status=Case.Status.RETURNED).order_by("-updated_at", "id"),
        lambda k: ("returned", _("Revise and file again"), k.title, _case_url(k.pk), None),
        more_label=_("All cases returned to you"),
        more_url=reverse("cases:list") + "?status=returned",
    )
    c.add(
        cosignings_pending_for(actor),
        lambda k: ("cosign", _("Confirm or decline the co-signing"), k.title, _case_url(k.pk), None),
        more_label=_("All co-signings to confirm"),
        more_url=reverse("cases:cosignings"),
    )
    now = timezone.now()
    c.add(
        Participation.objects.filter(
            deputy_id=deputy_id,
            status__in=[Participation.Status.INVITED, Participation.Status.SIGNED_UP],
            activity__status=Activity.Status.PLANNED,
            activity__ends_at__gt=now,
            activity__starts_at__lt=now + dt.timedelta(days=ACTIVITY_DAYS),
        )
        .select_related("activity")
        .order_by("activity__starts_at", "id"),
        lambda p: (
            "activity",
            _("Attend the activity"),
            p.activity.title,
            reverse("activities:activity_detail", args=[p.activity_id]),
            timezone.localtime(p.activity.starts_at).date(),
        ),
        more_label=_("All my activities"),
        more_url=reverse("activities:my_activities"),
    )


def _station(actor, c: _Collector) -> None:
    station_id = actor.station_id
    if not station_id:
        return
    c.add(
        ReceptionDay.objects.filter(station_id=station_id, day=c.today, is_cancelled=False).order_by(
            "starts_at"
        ),
        lambda d: (
            "reception_day",
            _("Record today's receptions"),
            f"{d.starts_at:%H:%M}–{d.ends_at:%H:%M}",
            reverse("activities:reception_new", args=[station_id]),
            d.day,
        ),
        more_label=_("All reception days"),
        more_url=reverse("activities:reception_days", args=[station_id]),
    )
    matters = ReceptionMatter.objects.filter(reception__station_id=station_id)
    c.add(
        matters.filter(status=ReceptionMatter.Status.OPEN)
        .exclude(answer_due=None)
        .order_by("answer_due", "id"),
        lambda m: (
            "matter",
            _("Follow the matter to its answer"),
            _short(m.text),
            reverse("activities:reception_detail", args=[m.reception_id]) + f"#matter-{m.pk}",
            m.answer_due,
        ),
        more_label=_("All matters awaiting an answer"),
        more_url=reverse("activities:matters", args=[station_id]) + "?status=open",
    )
    c.add(
        matters.filter(status=ReceptionMatter.Status.ANSWERED).order_by("answer_due", "id"),
        lambda m: (
            "feedback",
            _("Tell the visitor the answer"),
            _short(m.text),
            reverse("activities:reception_detail", args=[m.reception_id]) + f"#matter-{m.pk}",
            None,
        ),
        more_label=_("All matters awaiting feedback"),
        more_url=reverse("activities:matters", args=[station_id]) + "?status=answered",
    )
    scope = case_scope_for(actor)
    c.add(
        scope.filter(kind=Case.Kind.WISH, verified_at=None, status__in=Case.OPEN_STATUSES).order_by(
            "created_at", "id"
        ),
        lambda k: ("verify", _("Verify the wish at home"), k.title, _case_url(k.pk), None),
        more_label=_("All wishes to verify"),
        more_url=reverse("cases:list") + "?kind=wish&status=draft",
    )


def _handler(actor, c: _Collector) -> None:
    inbox = unit_inbox_for(actor)
    c.add(
        inbox.filter(status=Assignment.Status.PENDING),
        lambda a: ("acknowledge", _("Acknowledge the assignment"), a.case.title, _case_url(a.case_id), None),
        more_label=_("All assignments to acknowledge"),
        more_url=reverse("cases:inbox") + "?status=pending",
    )
    c.add(
        inbox.filter(status=Assignment.Status.HANDLING),
        lambda a: ("answer", _("Answer the case"), a.case.title, _case_url(a.case_id), a.answer_due),
        more_label=_("All assignments to answer"),
        more_url=reverse("cases:inbox") + "?status=handling",
    )
    if actor.unit_id:
        c.add(
            ReceptionMatter.objects.filter(
                referred_to_id=actor.unit_id, status=ReceptionMatter.Status.OPEN
            ).order_by("answer_due", "id"),
            lambda m: (
                "matter",
                _("Answer the matter sent to the unit"),
                _short(m.text),
                reverse("activities:unit_matters") + f"#matter-{m.pk}",
                m.answer_due,
            ),
            more_label=_("All matters sent to the unit"),
            more_url=reverse("activities:unit_matters"),
        )


def _staff(actor, c: _Collector) -> None:
    prefix = staff_scope_prefix(actor)
    if prefix is None:
        return
    scope = case_scope_for(actor)
    case_list = reverse("cases:list")
    for queue, action, due_field, more_label in [
        ("late_assign", _("Assign the case (late)"), "assign_due", _("All cases late to assign")),
        ("overdue", _("Press the unit for its answer"), "answer_due", _("All cases past their answer date")),
        ("to_review", _("Review the filed case"), "assign_due", _("All cases to review")),
    ]:
        c.add(
            apply_queue(scope, queue, today=c.today).order_by(due_field, "id"),
            lambda k, queue=queue, action=action, due_field=due_field: (
                queue,
                action,
                k.title,
                _case_url(k.pk),
                getattr(k, due_field),
            ),
            more_label=more_label,
            more_url=f"{case_list}?queue={queue}",
        )
    c.add(
        ExtensionRequest.objects.filter(
            assignment__case__in=scope, decision=ExtensionRequest.Decision.PENDING
        )
        .select_related("assignment__case")
        .order_by("previous_due", "id"),
        lambda r: (
            "extension",
            _("Decide the request for more time"),
            r.assignment.case.title,
            _case_url(r.assignment.case_id),
            r.previous_due,
        ),
        more_label=_("All requests for more time"),
        more_url=case_list,
    )
    c.add(
        ReassignmentRequest.objects.filter(
            assignment__case__in=scope, decision=ReassignmentRequest.Decision.PENDING
        )
        .select_related("assignment__case")
        .order_by("id"),
        lambda r: (
            "reassign",
            _("Decide the request to reassign"),
            r.assignment.case.title,
            _case_url(r.assignment.case_id),
            None,
        ),
        more_label=_("All requests to reassign"),
        more_url=case_list,
    )
    c.add(
        PointsContest.objects.filter(
            status=PointsContest.Status.PENDING, bulletin__congress__region_prefix__startswith=prefix
        )
        .select_related("bulletin__congress")
        .order_by("created_at", "id"),
        lambda k: (
            "contest",
            _("Decide the contested points entry"),
            _("%(congress)s, %(year)s Q%(quarter)s")
            % {"congress": k.bulletin.congress.name, "year": k.bulletin.year, "quarter": k.bulletin.quarter},
            reverse("insights:points_bulletin", args=[k.bulletin_id]),
            None,
        ),
        more_label=_("More contests of points"),
        more_url=lambda k: reverse("insights:points_bulletin", args=[k.bulletin_id]),
    )


def _short(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


SOURCES = {
    Role.DEPUTY: _deputy,
    Role.STATION_STAFF: _station,
    Role.UNIT_HANDLER: _handler,
    Role.CONGRESS_STAFF: _staff,
    Role.ADMIN: _staff,
}


def next_steps_for(actor, *, today: dt.date | None = None) -> NextSteps:
    """The actor's next steps, ordered (see the module's doc); empty for roles without tasks here."""
    c = _Collector(today or clock.today())
    role = Role.ADMIN if getattr(actor, "is_admin", False) else getattr(actor, "role", "")
    source = SOURCES.get(role)
    if source is not None:
        source(actor, c)
    return c.result()
