"""Writes of activities (代表活动) and their attendance (签到, 请假).

```
  activity_create ──▶ planned ── activity_hold (once started) ──▶ held
                              └─ activity_cancel (a reason) ────▶ cancelled
```

Who may: `activities.edit_activity` (the organising congress's staff and those above) for the activity,
`activities.take_attendance` (also the liaison station's staff) for attendance and the QR code,
`activities.signup` / `activities.checkin` for a deputy. Each service on an activity locks its row first; a
participation is locked before its status changes. Audit verbs: see `ActivitiesConfig.ready()`.

Attendance: a deputy signs in by the QR code (`activity_checkin`) only from
`MINSHENG["ACTIVITY_CHECKIN_EARLY_MINUTES"]` before the start until `…_LATE_MINUTES` after the end, once; a
deputy not invited becomes a participant when eligible (a seat in office in the organising congress or a
congress below it). Nobody is present at two activities whose times overlap.
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from minsheng.accounts.permissions import Role, has_role
from minsheng.cases.models import Case
from minsheng.cases.selectors import case_scope_for
from minsheng.cases.services import case_create
from minsheng.common import audit, clock, uploads
from minsheng.common import validators as checks
from minsheng.common.errors import Conflict, DomainError, TransitionNotAllowed
from minsheng.common.permissions import ensure
from minsheng.congresses.models import Congress
from minsheng.deputies.models import Deputy, Seat
from minsheng.places.models import Place
from minsheng.stations.models import Station

from . import concerns
from .models import Activity, ActivityConcern, ActivityKind, ActivityPhoto, Participation
from .models.activities import new_checkin_token
from .permissions import deputy_is_eligible

ACTIVITY_FIELDS = (
    "kind",
    "title",
    "topic",
    "place",
    "location",
    "station",
    "starts_at",
    "ends_at",
    "leader",
    "signup_open",
    "minutes",
)
ATTENDANCE_STATUSES = (Participation.Status.PRESENT, Participation.Status.LEAVE, Participation.Status.ABSENT)


def _setting(name: str, default):
    return settings.MINSHENG.get(name, default)


def max_upload_bytes() -> int:
    return int(_setting("ACTIVITY_UPLOAD_MAX_MB", 10)) * 1024 * 1024


def checkin_window(activity: Activity) -> tuple[dt.datetime, dt.datetime]:
    """From when until when a deputy may sign in by the QR code."""
    early = dt.timedelta(minutes=int(_setting("ACTIVITY_CHECKIN_EARLY_MINUTES", 30)))
    late = dt.timedelta(minutes=int(_setting("ACTIVITY_CHECKIN_LATE_MINUTES", 30)))
    return activity.starts_at - early, activity.ends_at + late


def _when(value: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i")


def _lock_activity(activity_id: int) -> Activity:
    try:
        return (
            Activity.objects.select_for_update(of=("self",))
            .select_related("congress", "kind", "place")
            .get(pk=activity_id)
        )
    except (Activity.DoesNotExist, ValueError, TypeError):
        raise DomainError(_("No such activity."), code="not_found") from None


def _aware(value, field: str) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise DomainError(_("Enter a date and time."), field=field, code="required")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    checks.check_planned_date(value, field=field)
    return value


def _clean_window(starts_at, ends_at) -> tuple[dt.datetime, dt.datetime]:
    """A sane window: both dates between the earliest date and the planning horizon, the end after the start,
    at most `ACTIVITY_MAX_DAYS` days long."""
    starts_at, ends_at = _aware(starts_at, "starts_at"), _aware(ends_at, "ends_at")
    if ends_at <= starts_at:
        raise DomainError(_("An activity ends after it starts."), field="ends_at", code="ends_before_start")
    days = int(_setting("ACTIVITY_MAX_DAYS", 14))
    if ends_at - starts_at > dt.timedelta(days=days):
        raise DomainError(
            _("An activity lasts at most %(days)d days: check the dates.") % {"days": days},
            field="ends_at",
            code="too_long",
        )
    return starts_at, ends_at


def _clean_kind(kind, congress: Congress) -> ActivityKind:
    if not isinstance(kind, ActivityKind):
        kind = ActivityKind.objects.filter(pk=kind).first() if kind else None
    if kind is None or (kind.congress_id is not None and not kind.congress.covers(congress)):
        raise DomainError(_("Choose a kind of activity."), field="kind", code="invalid_choice")
    return kind


def _clean_title(value) -> str:
    title = checks.required_text(value, field="title", message=_("Enter a title."))
    return checks.check_length(title, field="title", model=Activity)


def _clean_location(value) -> str:
    location = checks.required_text(
        value, field="location", message=_("Enter where the activity takes place.")
    )
    return checks.check_length(location, field="location", model=Activity)


def _clean_place(place, congress: Congress) -> Place:
    if not isinstance(place, Place) or not place.code.startswith(congress.region_prefix):
        raise DomainError(
            _("Choose a place within the organising congress's region."), field="place", code="invalid_choice"
        )
    return place


def _clean_station(station, congress: Congress) -> Station | None:
    if station is None:
        return None
    if not isinstance(station, Station) or not station.place.code.startswith(congress.region_prefix):
        raise DomainError(
            _("Choose a liaison station within the organising congress's region."),
            field="station",
            code="invalid_choice",
        )
    return station


@transaction.atomic
def kind_create(*, actor, congress: Congress, name: str) -> ActivityKind:
    """A congress's own kind of activity (code `custom`), beside the built-in ones."""
    ensure(actor, "activities.create_activity", congress)
    name = checks.required_text(name, field="name", message=_("Enter the name of the kind."))
    checks.check_length(name, field="name", model=ActivityKind)
    if (
        ActivityKind.objects.filter(congress=congress, name=name).exists()
        or ActivityKind.objects.filter(congress__isnull=True, name=name).exists()
    ):
        raise Conflict(_("This kind of activity exists already."), field="name", code="duplicate")
    kind = ActivityKind.objects.create(code=ActivityKind.Code.CUSTOM, name=name, congress=congress)
    audit.record(actor, "activity_kind.created", kind, congress=congress.pk)
    return kind


@transaction.atomic
def activity_create(
    *,
    actor,
    kind,
    title: str,
    congress: Congress,
    place: Place,
    location: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    topic: str = "",
    station: Station | None = None,
    leader: str = "",
    signup_open: bool = False,
) -> Activity:
    """Plan an activity of a congress. Its window must be sane (`_clean_window`)."""
    if not isinstance(congress, Congress):
        raise DomainError(_("Choose the organising congress."), field="congress", code="required")
    ensure(actor, "activities.create_activity", congress)
    starts_at, ends_at = _clean_window(starts_at, ends_at)
    activity = Activity.objects.create(
        kind=_clean_kind(kind, congress),
        title=_clean_title(title),
        topic=checks.check_length((topic or "").strip(), field="topic", model=Activity),
        congress=congress,
        place=_clean_place(place, congress),
        location=_clean_location(location),
        station=_clean_station(station, congress),
        starts_at=starts_at,
        ends_at=ends_at,
        leader=checks.check_length((leader or "").strip(), field="leader", model=Activity),
        signup_open=bool(signup_open),
        created_by=actor,
    )
    audit.record(actor, "activity.created", activity, congress=congress.pk, kind=activity.kind.code)
    return activity


@transaction.atomic
def activity_update(*, actor, activity_id: int, **changes) -> Activity:
    """Correct an activity that is not cancelled (any of `ACTIVITY_FIELDS`)."""
    activity = _lock_activity(activity_id)
    ensure(actor, "activities.edit_activity", activity)
    unknown = set(changes) - set(ACTIVITY_FIELDS)
    if unknown:
        raise ValueError(f"activity_update cannot change {sorted(unknown)}")
    if activity.status == Activity.Status.CANCELLED:
        raise TransitionNotAllowed(_("The activity is cancelled: it cannot be changed."))
    congress = activity.congress
    if "starts_at" in changes or "ends_at" in changes:
        changes["starts_at"], changes["ends_at"] = _clean_window(
            changes.get("starts_at", activity.starts_at), changes.get("ends_at", activity.ends_at)
        )
    cleaners = {
        "kind": lambda v: _clean_kind(v, congress),
        "title": _clean_title,
        "topic": lambda v: checks.check_length((v or "").strip(), field="topic", model=Activity),
        "place": lambda v: _clean_place(v, congress),
        "location": _clean_location,
        "station": lambda v: _clean_station(v, congress),
        "leader": lambda v: checks.check_length((v or "").strip(), field="leader", model=Activity),
        "minutes": lambda v: checks.check_length((v or "").strip(), field="minutes", model=Activity),
        "signup_open": bool,
    }
    changed = []
    for field, value in changes.items():
        if field in cleaners:
            value = cleaners[field](value)
        if getattr(activity, field) != value:
            setattr(activity, field, value)
            changed.append(field)
    if not changed:
        return activity
    activity.save(update_fields=[*changed, "updated_at"])
    audit.record(actor, "activity.updated", activity, fields=sorted(changed))
    return activity


@transaction.atomic
def activity_hold(*, actor, activity_id: int, minutes: str | None = None) -> Activity:
    """planned → held, once the activity has started; the invited and signed-up deputies who did not come
    (neither present nor on leave) are recorded absent. Minutes may be given at the same time."""
    activity = _lock_activity(activity_id)
    ensure(actor, "activities.edit_activity", activity)
    refusal = activity.move_refusal(Activity.Status.HELD)
    if refusal is not None:
        raise refusal
    if activity.starts_at > clock.now():
        raise TransitionNotAllowed(
            _("The activity starts at %(when)s: it can be recorded as held once it has started.")
            % {"when": _when(activity.starts_at)},
            code="not_started",
        )
    fields = ["status", "updated_at"]
    if minutes is not None:
        activity.minutes = checks.check_length((minutes or "").strip(), field="minutes", model=Activity)
        fields.append("minutes")
    activity.move_to(Activity.Status.HELD)
    activity.save(update_fields=fields)
    absent = activity.participations.filter(
        status__in=[Participation.Status.INVITED, Participation.Status.SIGNED_UP]
    ).update(status=Participation.Status.ABSENT, updated_at=clock.now())
    audit.record(actor, "activity.held", activity, absent=absent)
    return activity


@transaction.atomic
def activity_cancel(*, actor, activity_id: int, reason: str) -> Activity:
    """planned → cancelled, with a reason."""
    activity = _lock_activity(activity_id)
    ensure(actor, "activities.edit_activity", activity)
    refusal = activity.move_refusal(Activity.Status.CANCELLED)
    if refusal is not None:
        raise refusal
    reason = checks.required_text(reason, field="reason", message=_("Give the reason for cancelling."))
    checks.check_length(reason, field="reason", limit=checks.NOTE)
    activity.move_to(Activity.Status.CANCELLED)
    activity.save(update_fields=["status", "updated_at"])
    audit.record(actor, "activity.cancelled", activity, reason=reason)
    return activity


def _ensure_open(activity: Activity) -> None:
    if activity.status == Activity.Status.CANCELLED:
        raise TransitionNotAllowed(_("The activity is cancelled."), code="cancelled")


@transaction.atomic
def activity_invite(*, actor, activity_id: int, deputies: list[Deputy]) -> list[Participation]:
    """Invite deputies (of any level and congress). Those already taking part are left as they are."""
    activity = _lock_activity(activity_id)
    ensure(actor, "activities.edit_activity", activity)
    _ensure_open(activity)
    chosen = list({d.pk: d for d in deputies or []}.values())
    if not chosen:
        raise DomainError(_("Choose at least one deputy."), field="deputies", code="required")
    existing = set(activity.participations.values_list("deputy_id", flat=True))
    created = Participation.objects.bulk_create(
        [Participation(activity=activity, deputy=d) for d in chosen if d.pk not in existing]
    )
    if created:
        audit.record(actor, "activity.invited", activity, deputies=sorted(p.deputy_id for p in created))
    return created


@transaction.atomic
def activity_signup(*, actor, activity_id: int) -> Participation:
    """A deputy signs up (报名) for an activity open for sign-up."""
    activity = _lock_activity(activity_id)
    if not has_role(actor, Role.DEPUTY) or not actor.deputy_id:
        raise DomainError(_("Only deputies sign up for activities."), code="not_a_deputy")
    if activity.participations.filter(deputy_id=actor.deputy_id).exists():
        raise Conflict(_("You already take part in this activity."), code="already")
    ensure(actor, "activities.signup", activity)
    participation = Participation.objects.create(
        activity=activity, deputy_id=actor.deputy_id, status=Participation.Status.SIGNED_UP
    )
    audit.record(actor, "activity.signed_up", activity, deputy=actor.deputy_id)
    return participation


def _overlapping_presence(activity: Activity, deputy_id: int) -> Participation | None:
    """The deputy's presence at another (not cancelled) activity whose time overlaps this one's."""
    return (
        Participation.objects.filter(
            deputy_id=deputy_id,
            status=Participation.Status.PRESENT,
            activity__starts_at__lt=activity.ends_at,
            activity__ends_at__gt=activity.starts_at,
        )
        .exclude(activity_id=activity.pk)
        .exclude(activity__status=Activity.Status.CANCELLED)
        .select_related("activity", "deputy")
        .first()
    )


def _refuse_two_places(activity: Activity, deputy_id: int) -> None:
    other = _overlapping_presence(activity, deputy_id)
    if other is not None:
        raise Conflict(
            _(
                "%(deputy)s is already recorded present at “%(other)s” (%(start)s–%(end)s), which overlaps this "
                "activity: nobody is at two places at once."
            )
            % {
                "deputy": other.deputy.name,
                "other": other.activity.title,
                "start": _when(other.activity.starts_at),
                "end": _when(other.activity.ends_at),
            },
            field="deputy",
            code="two_places",
        )


def _save_participation(participation: Participation) -> None:
    """Save; a concurrent first sign-in of the same deputy (the unique constraint) answers 409, not 500."""
    try:
        with transaction.atomic():
            participation.save()
    except IntegrityError:
        raise Conflict(
            _(
                "This deputy's attendance was recorded at the same moment by another request: reload the page."
            ),
            code="concurrent",
        ) from None


@transaction.atomic
def activity_checkin(*, actor, token: str) -> Participation:
    """签到 by the QR code: the deputy who opened the activity's sign-in link is marked present — within the
    window, once, if invited or eligible (who then becomes a participant), and not present elsewhere at the
    same time. Refusals say why and change nothing."""
    activity = Activity.objects.filter(checkin_token=token or "-").only("pk").first()
    if activity is None:
        raise DomainError(
            _(
                "This sign-in code is not valid (perhaps the staff showed a new one): scan the code shown now."
            ),
            code="bad_token",
        )
    activity = _lock_activity(activity.pk)
    if not has_role(actor, Role.DEPUTY) or not actor.deputy_id:
        raise DomainError(_("Only deputies sign in to activities."), code="not_a_deputy")
    _ensure_open(activity)
    ensure(actor, "activities.checkin", activity)
    now = clock.now()
    opens, closes = checkin_window(activity)
    if now < opens:
        raise DomainError(_("Sign-in opens at %(when)s.") % {"when": _when(opens)}, code="too_early")
    if now > closes:
        raise DomainError(_("Sign-in closed at %(when)s.") % {"when": _when(closes)}, code="too_late")
    participation = (
        Participation.objects.select_for_update().filter(activity=activity, deputy_id=actor.deputy_id).first()
    )
    if participation is not None and participation.status == Participation.Status.PRESENT:
        raise Conflict(
            _("You signed in already at %(when)s: nothing was changed.")
            % {"when": _when(participation.checked_in_at or participation.updated_at)},
            code="already_present",
        )
    if participation is None and not deputy_is_eligible(actor, activity):
        raise DomainError(_("You are not among the deputies of this activity."), code="not_eligible")
    _refuse_two_places(activity, actor.deputy_id)
    if participation is None:
        participation = Participation(activity=activity, deputy_id=actor.deputy_id)
    participation.status = Participation.Status.PRESENT
    participation.checked_in_at = now
    participation.method = Participation.Method.QR
    participation.leave_reason = ""
    _save_participation(participation)
    audit.record(actor, "activity.checked_in", activity, deputy=actor.deputy_id)
    return participation


@transaction.atomic
def attendance_mark(
    *,
    actor,
    activity_id: int,
    deputy: Deputy,
    status: str,
    leave_reason: str = "",
    in_full: bool = True,
) -> Participation:
    """Staff record a deputy present (by hand), on leave (请假, with a reason) or absent; for training,
    whether in full or in part. A deputy not yet taking part is added."""
    activity = _lock_activity(activity_id)
    ensure(actor, "activities.take_attendance", activity)
    _ensure_open(activity)
    if status not in ATTENDANCE_STATUSES:
        raise DomainError(_("Choose present, on leave or absent."), field="status", code="invalid_choice")
    if not isinstance(deputy, Deputy):
        raise DomainError(_("Choose a deputy."), field="deputy", code="required")
    reason = (leave_reason or "").strip()
    if status == Participation.Status.LEAVE:
        reason = checks.required_text(
            reason, field="leave_reason", message=_("Give the reason for the leave.")
        )
        checks.check_length(reason, field="leave_reason", model=Participation)
    else:
        reason = ""
    if status == Participation.Status.PRESENT:
        if clock.now() < checkin_window(activity)[0]:
            raise DomainError(
                _("The activity starts at %(when)s: attendance is taken once it begins.")
                % {"when": _when(activity.starts_at)},
                field="status",
                code="too_early",
            )
        _refuse_two_places(activity, deputy.pk)
    participation = Participation.objects.select_for_update().filter(activity=activity, deputy=deputy).first()
    if participation is None:
        participation = Participation(activity=activity, deputy=deputy)
    participation.status = status
    participation.leave_reason = reason
    participation.in_full = bool(in_full)
    if status == Participation.Status.PRESENT:
        if participation.method != Participation.Method.QR:
            participation.method = Participation.Method.STAFF
            participation.checked_in_at = clock.now()
    else:
        participation.method, participation.checked_in_at = "", None
    _save_participation(participation)
    audit.record(
        actor, "activity.attendance_marked", activity, deputy=deputy.pk, status=status, in_full=bool(in_full)
    )
    return participation


@transaction.atomic
def activity_rotate_token(*, actor, activity_id: int) -> Activity:
    """A new sign-in code: the QR code shown before stops working (a photo of it was passed round)."""
    activity = _lock_activity(activity_id)
    ensure(actor, "activities.take_attendance", activity)
    activity.checkin_token = new_checkin_token()
    activity.save(update_fields=["checkin_token", "updated_at"])
    audit.record(actor, "activity.token_rotated", activity)
    return activity


@transaction.atomic
def activity_photo_add(*, actor, activity_id: int, upload) -> ActivityPhoto:
    """A photo of the activity: checked and re-encoded by `common.uploads.check_upload`; `sha256` of the
    stored bytes. The same photo twice on one activity is refused."""
    activity = _lock_activity(activity_id)
    ensure(actor, "activities.edit_activity", activity)
    _ensure_open(activity)
    checked = uploads.check_upload(upload, accept=uploads.PHOTOS, max_bytes=max_upload_bytes(), field="photo")
    data = checked.content.read()
    checked.content.seek(0)
    digest = hashlib.sha256(data).hexdigest()
    if activity.photos.filter(sha256=digest).exists():
        raise Conflict(_("This photo is on the activity already."), field="photo", code="duplicate")
    photo = ActivityPhoto.objects.create(
        activity=activity,
        file=checked.content,
        original_name=checked.original_name,
        sha256=digest,
        uploaded_by=actor,
    )
    audit.record(actor, "activity.photo_added", activity, photo=photo.pk, sha256=digest)
    return photo


@transaction.atomic
def activity_report_upload(*, actor, activity_id: int, upload) -> Activity:
    """The activity's report (a PDF or a photo of it), checked by `common.uploads.check_upload`."""
    activity = _lock_activity(activity_id)
    ensure(actor, "activities.edit_activity", activity)
    _ensure_open(activity)
    checked = uploads.check_upload(
        upload, accept=uploads.DOCUMENTS, max_bytes=max_upload_bytes(), field="report"
    )
    activity.report = checked.content
    activity.report_name = checked.original_name
    activity.save(update_fields=["report", "report_name", "updated_at"])
    audit.record(actor, "activity.report_added", activity)
    return activity


@transaction.atomic
def activity_link_case(*, actor, activity_id: int, case_id: int) -> Activity:
    """The activity concerns an existing case the actor may see."""
    activity = _lock_activity(activity_id)
    ensure(actor, "activities.edit_activity", activity)
    case = case_scope_for(actor).filter(pk=case_id).first()
    if case is None:
        raise DomainError(_("No such case."), field="case", code="not_found")
    if activity.cases.filter(pk=case.pk).exists():
        raise Conflict(_("The activity concerns this case already."), field="case", code="already_linked")
    activity.cases.add(case)
    audit.record(actor, "activity.case_linked", activity, case=case.pk)
    return activity


@transaction.atomic
def activity_concern_add(*, actor, activity_id: int, kind: str, object_id: int) -> ActivityConcern:
    """The activity concerns something of a wing above (a livelihood project): `kind` is a key of the
    `concerns` registry, which checks that the object exists."""
    activity = _lock_activity(activity_id)
    ensure(actor, "activities.edit_activity", activity)
    content_type, label = concerns.resolve(kind, object_id)
    concern, created = ActivityConcern.objects.get_or_create(
        activity=activity, content_type=content_type, object_id=int(object_id)
    )
    if not created:
        raise Conflict(_("The activity concerns this already."), field="object_id", code="already_linked")
    audit.record(actor, "activity.concern_added", activity, kind=kind, object_id=int(object_id))
    return concern


def _suggestion_congress(deputy: Deputy, activity: Activity) -> Congress:
    """The congress a suggestion goes to: the organising congress when the deputy sits in it, else the
    congress of the deputy's seat in office within its region, the most local first; else the deputy's most
    local seat in office (a provincial deputy at a city's research)."""
    seats = list(Seat.objects.filter(deputy=deputy, status=Seat.Status.ACTIVE).select_related("congress"))
    if not seats:
        raise DomainError(
            _("%(deputy)s holds no seat in office.") % {"deputy": deputy.name}, field="deputy", code="no_seat"
        )
    congresses = [s.congress for s in seats]
    if any(c.pk == activity.congress_id for c in congresses):
        return activity.congress
    within = [c for c in congresses if activity.congress.covers(c)]
    return max(within or congresses, key=lambda c: len(c.region_prefix))


@transaction.atomic
def activity_suggestion_create(
    *, actor, activity_id: int, deputy: Deputy, title: str, content: str, kind: str = Case.Kind.SUGGESTION
) -> Case:
    """A suggestion (代表建议) the activity produced: a draft case (`cases.services.case_create`) of the
    congress the deputy sits in (`_suggestion_congress`), at the activity's place and station, led by a deputy
    who took part; linked as produced."""
    activity = _lock_activity(activity_id)
    ensure(actor, "activities.edit_activity", activity)
    _ensure_open(activity)
    if kind not in (Case.Kind.SUGGESTION, Case.Kind.MICRO_PROJECT):
        raise DomainError(_("An activity produces a suggestion or a micro-project."), field="kind")
    if not isinstance(deputy, Deputy) or not activity.participations.filter(deputy=deputy).exists():
        raise DomainError(
            _("The suggestion's deputy is one of the deputies of the activity."),
            field="deputy",
            code="not_taking_part",
        )
    congress = _suggestion_congress(deputy, activity)
    same = congress.pk == activity.congress_id
    case = case_create(
        actor=actor,
        kind=kind,
        title=title,
        content=content,
        congress=congress,
        lead_deputy=deputy,
        place=activity.place if same else congress.place,
        station=activity.station if same else None,
    )
    activity.produced.add(case)
    audit.record(actor, "activity.suggestion_created", activity, case=case.pk)
    return case
