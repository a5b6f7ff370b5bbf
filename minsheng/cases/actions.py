"""What may this actor do with this case — or its assignment, claim, request — now, and with which choices.

One answer for the case page (`views._offered` renders it), the API (`available_actions` / `allowed_actions`)
and the services (each calls `check` under its locks before it writes), so a page, an API call, a job, a
command or a forged request is offered and refused alike.

- `available(actor, case)` → `{name: Offer}` for every action of the case itself (`CASE_ACTIONS`);
  `available_for(actor, target)` the same for an assignment (`ASSIGNMENT_ACTIONS`), a claim (`CLAIM_ACTIONS`),
  a reassignment request (`REQUEST_ACTIONS`) or an extension request (`EXTENSION_ACTIONS`).
- An `Offer` (`minsheng.common.actions`) says whether the action is allowed now, why not (a translated
  sentence), whether the refusal is of the actor (no right: 403), of the state (409) or of what others did
  meanwhile (a claim taken: 409), and the choices it allows (`units` to 交办 or reassign to;
  `priority`: mark or lift; `answer_classes`; `refuse_reasons`).
- `check(actor, case, name, target=..., **choice)` raises `PermissionDenied`, `TransitionNotAllowed` or, for a
  choice outside the offer (a unit the congress may not assign to), `DomainError` on its field.

Who holds which right is `permissions.py` (`cases.*` rules); the state each action needs is here and nowhere
else. The names are the case page's URL names; the API's sub-routes are `API_NAMES` of them.
"""

import datetime as dt
from collections.abc import Callable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from minsheng.accounts.permissions import Role, has_role
from minsheng.common import clock
from minsheng.common.actions import Offer, allowed_names, move_refusal  # noqa: F401 (asked here by the agreement tests)
from minsheng.common.errors import Conflict, DomainError, PermissionDenied, TransitionNotAllowed
from minsheng.common.permissions import can
from minsheng.units.models import Unit

from . import rules as R
from . import selectors
from .models import Assignment, Case, Claim, ExtensionRequest, ReassignmentRequest
from .permissions import extension_refusal, fulfil_refusal, opinions_missing, opinions_missing_message

NOT_ALLOWED = "You are not allowed to do this."
PUBLISHABLE = (Case.Status.ANSWERED, Case.Status.CLOSED)
FOLLOW_UP_STATES = (Case.Status.ASSIGNED, Case.Status.ANSWERED, Case.Status.DISSATISFIED, Case.Status.CLOSED)
WALL_STATES = (Case.Status.ACCEPTED, Case.Status.ASSIGNED)


def _offer(name: str, permitted: bool, refusal: str | None = None, **choices) -> Offer:
    """Refused for want of the right (403), refused by the case's state (a sentence: 409), or offered."""
    if not permitted:
        return Offer(name, refusal=PermissionDenied(_(NOT_ALLOWED)))
    if refusal:
        return Offer(name, refusal=TransitionNotAllowed(str(refusal)))
    return Offer(name, choices=choices)


def _move_refusal(obj, status: str) -> str | None:
    """Why `obj` cannot move to `status` (the model's own message), None if it can."""
    refusal = move_refusal(obj, status)
    return None if refusal is None else str(refusal.message)


# --- the choices ---------------------------------------------------------------------------------------------


def units_for_assigning(case: Case) -> QuerySet[Unit]:
    """交办 and reassignment: active units supervised by the case's congress, the congresses within its region,
    or those above it — never a unit elsewhere in the country."""
    prefix = case.congress.region_prefix
    above = [prefix[:i] for i in range(len(prefix))]
    return (
        Unit.objects.filter(is_active=True)
        .filter(Q(congress__region_prefix__startswith=prefix) | Q(congress__region_prefix__in=above))
        .select_related("place")
        .order_by("place__code", "kind", "name")
    )


def upload_assignment(actor, case: Case, parts: list | None = None) -> Assignment | None:
    """The live part of the actor's unit in the case's round: where a unit handler's evidence goes.
    `parts`: the case's assignments when the caller has them loaded already."""
    if not has_role(actor, Role.UNIT_HANDLER):
        return None
    if parts is None and "assignments" in getattr(case, "_prefetched_objects_cache", {}):
        parts = list(case.assignments.all())
    if parts is not None:
        mine = [
            p
            for p in parts
            if p.unit_id == actor.unit_id and p.status in Assignment.LIVE and p.round == case.round
        ]
        return max(mine, key=lambda p: p.pk, default=None)
    return (
        case.assignments.filter(unit_id=actor.unit_id, status__in=Assignment.LIVE, round=case.round)
        .select_related("unit")
        .order_by("-id")
        .first()
    )


# --- asking once per request ---------------------------------------------------------------------------------


class Ask:
    """The rules of one actor about one case, each asked once; `today` fixed for the whole answer."""

    def __init__(self, actor, case: Case, today: dt.date | None = None, *, parts: list | None = None):
        self.actor, self.case, self.parts = actor, case, parts
        self.today = today or clock.today()
        self._answers: dict = {}

    def can(self, rule: str, obj=None) -> bool:
        obj = self.case if obj is None else obj
        key = (rule, type(obj).__name__, obj.pk)
        if key not in self._answers:
            self._answers[key] = can(self.actor, rule, obj)
        return self._answers[key]

    @property
    def review(self) -> bool:
        return self.can("cases.review")


# --- the case's own actions ----------------------------------------------------------------------------------


def _edit(a: Ask) -> Offer:
    c = a.case
    return _offer(
        "edit",
        a.can("cases.edit"),
        None
        if c.status in (Case.Status.DRAFT, Case.Status.RETURNED)
        else _("Only a draft or a returned case can be edited."),
    )


def _verify(a: Ask) -> Offer:
    c = a.case
    refusal = None
    if not c.rules.needs_verification:
        refusal = _("Only a wish is verified at home.")
    elif not c.is_open:
        refusal = _("A closed or withdrawn case cannot be verified.")
    elif c.verified_at is not None:
        refusal = _("The wish is verified already.")
    return _offer("verify", a.can("cases.verify"), refusal)


def _file(a: Ask) -> Offer:
    c = a.case
    refusal = _move_refusal(c, Case.Status.FILED)
    if refusal is None and c.rules.needs_verification and c.verified_at is None:
        refusal = _("A wish must be verified at home before it is filed.")
    return _offer("file", a.can("cases.file"), refusal)


def _withdraw(a: Ask) -> Offer:
    return _offer("withdraw", a.can("cases.file"), _move_refusal(a.case, Case.Status.WITHDRAWN))


def _cosign(name: str) -> Callable[[Ask], Offer]:
    def offer(a: Ask) -> Offer:
        # Invited and not yet answered is the rule itself: no state beside it.
        return _offer(name, a.can("cases.cosign_respond"))

    return offer


def _review_move(name: str, status: str) -> Callable[[Ask], Offer]:
    def offer(a: Ask) -> Offer:
        # 立案, 不予立案, 退回修改 and merging: only a filed case moves so (`Case.TRANSITIONS`).
        choices = {"refuse_reasons": Case.RefuseReason.values} if name == "refuse" else {}
        return _offer(name, a.review, _move_refusal(a.case, status), **choices)

    return offer


def _assign(a: Ask) -> Offer:
    c = a.case
    return _offer("assign", a.review, _move_refusal(c, Case.Status.ASSIGNED), units=units_for_assigning(c))


def _close(a: Ask) -> Offer:
    refusal = None
    if a.case.status != Case.Status.DISSATISFIED:
        refusal = _("Staff close only a case the deputy was dissatisfied with; others close when rated.")
    return _offer("close", a.review, refusal)


def _rate(a: Ask) -> Offer:
    c = a.case
    refusal = None
    if c.status != Case.Status.ANSWERED:
        refusal = _("Only an answered case can be rated.")
    elif a.can("cases.rate"):
        deputy_id = getattr(a.actor, "deputy_id", None)
        if any(r.deputy_id == deputy_id and r.round == c.round for r in c.ratings.all()):
            refusal = _("You have rated this answer already.")
    return _offer("rate", a.can("cases.rate"), refusal)


def _put_on_wall(a: Ask) -> Offer:
    c = a.case
    refusal = None
    if not c.rules.claimable:
        refusal = _("Only a wish goes on the wish wall.")
    elif c.verified_at is None:
        refusal = _("An unverified wish cannot be published or claimed.")
    elif c.status not in WALL_STATES:
        refusal = _("A wish goes on the wall once accepted and before it is answered.")
    elif c.on_wall_at is not None:
        refusal = _("The wish is on the wall already.")
    return _offer("put_on_wall", a.review, refusal)


def _close_unrated(a: Ask) -> Offer:
    c = a.case
    refusal = None
    if c.status != Case.Status.ANSWERED:
        if c.status in (Case.Status.CLOSED, Case.Status.DISSATISFIED) and any(
            r.deputy_id == c.lead_deputy_id and r.round == c.round for r in c.ratings.all()
        ):
            refusal = _("The deputy has rated the answer: the case is not closed as not rated.")
        else:
            refusal = _("Only an answered case waiting for the deputy's rating is closed as not rated.")
    elif not c.rating_overdue(a.today):
        refusal = _("The deputy may rate the answer until %(date)s; close it as not rated after that.") % {
            "date": c.rating_due.isoformat() if c.rating_due else "—"
        }
    return _offer("close_unrated", a.can("cases.close_unrated"), refusal)


def _publish(a: Ask) -> Offer:
    c = a.case
    refusal = None
    if c.status not in PUBLISHABLE:
        refusal = _("Only an answered or closed case is published.")
    elif c.published_at is not None:
        refusal = _("The case is published already.")
    return _offer("publish", a.review, refusal)


def _supervised_refusal(c: Case) -> str | None:
    """重点督办 and 督办 records: a filed case, while it is open."""
    if not c.is_open:
        return _("A closed or withdrawn case is not supervised.")
    if c.status in (Case.Status.DRAFT, Case.Status.RETURNED):
        return _("Only a filed case is supervised.")
    return None


def _priority(a: Ask) -> Offer:
    """Marked or lifted: the choice `priority` is the one move the case allows (mark an unmarked case)."""
    c = a.case
    return _offer("priority", a.review, _supervised_refusal(c), priority=not c.is_priority)


def _supervise(a: Ask) -> Offer:
    return _offer("supervise", a.review, _supervised_refusal(a.case))


def _follow_up(a: Ask) -> Offer:
    c = a.case
    refusal = None
    if c.kind != Case.Kind.WISH:
        refusal = _("Follow-up visits are for wishes.")
    elif c.status not in FOLLOW_UP_STATES:
        refusal = _("A wish is followed up once assigned, until it is closed.")
    return _offer("follow_up", a.can("cases.follow_up"), refusal)


def _upload(a: Ask) -> Offer:
    """A case's editors while it is open; a unit handler onto the live part of the unit (its evidence)."""
    part = upload_assignment(a.actor, a.case, a.parts)
    if part is not None:
        offer = _part_upload(a, part)
        return Offer("upload", choices={"assignment": part}, refusal=offer.refusal)
    refusal = None if a.case.is_open else _("A closed or withdrawn case takes no more files.")
    return _offer("upload", a.can("cases.edit"), refusal)


def _claim(a: Ask) -> Offer:
    c = a.case
    permitted = a.can("cases.claim")
    if c.on_wall_at is None or c.realised_at is not None or not c.is_open:
        return _offer("claim", permitted, _("This wish is not open for claims."))
    if not permitted:
        return _offer("claim", False)
    left = selectors.open_amount(c)
    if left <= 0:
        return Offer("claim", refusal=Conflict(_("This wish has been claimed already.")))
    return _offer("claim", True, None, open_amount=left)


CASE_ACTIONS: dict[str, Callable[[Ask], Offer]] = {
    "edit": _edit,
    "verify": _verify,
    "file": _file,
    "withdraw": _withdraw,
    "cosign_confirm": _cosign("cosign_confirm"),
    "cosign_decline": _cosign("cosign_decline"),
    "accept": _review_move("accept", Case.Status.ACCEPTED),
    "refuse": _review_move("refuse", Case.Status.REFUSED),
    "return": _review_move("return", Case.Status.RETURNED),
    "merge": _review_move("merge", Case.Status.REFUSED),
    "assign": _assign,
    "close": _close,
    "rate": _rate,
    "put_on_wall": _put_on_wall,
    "close_unrated": _close_unrated,
    "publish": _publish,
    "priority": _priority,
    "supervise": _supervise,
    "follow_up": _follow_up,
    "upload": _upload,
    "claim": _claim,
}


# --- a unit's part (assignment) ------------------------------------------------------------------------------


def _handles(a: Ask, part: Assignment) -> bool:
    return a.can("cases.handle", part)


def _acknowledge(a: Ask, part: Assignment) -> Offer:
    refusal = None
    if part.status != Assignment.Status.PENDING:  # a part waiting for the staff's decision is not taken
        refusal = _move_refusal(part, Assignment.Status.HANDLING) or _(
            "Only a part waiting to be acknowledged is acknowledged."
        )
    return _offer("acknowledge", _handles(a, part), refusal)


def _request_reassignment(a: Ask, part: Assignment) -> Offer:
    refusal = None
    if part.status not in (Assignment.Status.PENDING, Assignment.Status.HANDLING):
        refusal = _move_refusal(part, Assignment.Status.REASSIGN_REQUESTED) or _(
            "Only a unit still handling its part asks for reassignment."
        )
    elif a.today > part.reassign_request_due:
        refusal = _("Reassignment could be asked until %(date)s; that time has passed.") % {
            "date": part.reassign_request_due.isoformat()
        }
    return _offer("request_reassignment", _handles(a, part), refusal)


def _record(a: Ask, part: Assignment) -> Offer:
    refusal = None
    if part.status != Assignment.Status.HANDLING:
        refusal = _("Acknowledge the case before recording its handling.")
    return _offer("record", _handles(a, part), refusal)


def _opinion(a: Ask, part: Assignment) -> Offer:
    refusal = None
    if part.role != Assignment.Role.ASSISTING:
        refusal = _("Only an assisting unit sends an opinion to the lead unit.")
    elif part.status != Assignment.Status.HANDLING:
        refusal = _("Acknowledge the case before sending an opinion.")
    return _offer("opinion", _handles(a, part), refusal)


def _answer(a: Ask, part: Assignment) -> Offer:
    refusal = None
    if not part.answers_the_case:
        refusal = _("An assisting unit sends its opinion to the lead unit; it does not answer.")
    elif part.status != Assignment.Status.HANDLING:
        refusal = _("Acknowledge the case before answering it.")
    elif _handles(a, part):
        missing = opinions_missing(part, today=a.today)
        if missing:
            refusal = opinions_missing_message(missing)
    if refusal or not _handles(a, part):
        return _offer("answer", _handles(a, part), refusal)
    return _offer("answer", True, answer_classes=R.rules_for(a.case.congress).answer_class_codes)


def _fulfil_wish(a: Ask, part: Assignment) -> Offer:
    permitted = a.can("cases.fulfil_wish", part)
    return _offer("fulfil_wish", permitted, fulfil_refusal(part) if permitted else None)


def _request_extension(a: Ask, part: Assignment) -> Offer:
    return _offer("request_extension", _handles(a, part), extension_refusal(part, today=a.today))


def _part_upload(a: Ask, part: Assignment) -> Offer:
    refusal = (
        None if part.status in Assignment.LIVE else _("The unit's part is finished; it takes no more files.")
    )
    return _offer("upload", _handles(a, part), refusal)


ASSIGNMENT_ACTIONS: dict[str, Callable[[Ask, Assignment], Offer]] = {
    "acknowledge": _acknowledge,
    "request_reassignment": _request_reassignment,
    "record": _record,
    "opinion": _opinion,
    "answer": _answer,
    "fulfil_wish": _fulfil_wish,
    "request_extension": _request_extension,
    "upload": _part_upload,
}


# --- claims and requests -------------------------------------------------------------------------------------


def _own(a: Ask, claim: Claim) -> bool:
    return has_role(a.actor, Role.DONOR) and claim.donor_id == getattr(a.actor, "pk", None)


def _claim_withdraw(a: Ask, claim: Claim) -> Offer:
    return _offer("claim_withdraw", _own(a, claim) or a.review, _move_refusal(claim, Claim.Status.WITHDRAWN))


def _deliver(a: Ask, claim: Claim) -> Offer:
    if not _own(a, claim):
        return Offer(
            "deliver", refusal=PermissionDenied(_("Only the donor who claimed it records the delivery."))
        )
    return _offer("deliver", True, _move_refusal(claim, Claim.Status.DELIVERED))


def _confirm_delivery(a: Ask, claim: Claim) -> Offer:
    return _offer(
        "confirm_delivery", a.can("cases.confirm_delivery"), _move_refusal(claim, Claim.Status.CONFIRMED)
    )


CLAIM_ACTIONS: dict[str, Callable[[Ask, Claim], Offer]] = {
    "claim_withdraw": _claim_withdraw,
    "deliver": _deliver,
    "confirm_delivery": _confirm_delivery,
}


def _decide_reassignment(a: Ask, request: ReassignmentRequest) -> Offer:
    refusal = None
    if request.decision != ReassignmentRequest.Decision.PENDING:
        refusal = _("This request has been decided already.")
    return _offer("decide_reassignment", a.review, refusal, units=units_for_assigning(a.case))


def _decide_extension(a: Ask, request: ExtensionRequest) -> Offer:
    refusal = None
    if request.decision != ExtensionRequest.Decision.PENDING:
        refusal = _("This request has been decided already.")
    elif request.assignment.status not in Assignment.LIVE:
        refusal = _("The unit's part is finished; there is no deadline left to extend.")
    return _offer("decide_extension", a.review, refusal)


REQUEST_ACTIONS = {"decide_reassignment": _decide_reassignment}
EXTENSION_ACTIONS = {"decide_extension": _decide_extension}

# The API's sub-routes for the same actions (the case's; an assignment's; a claim's; a request's).
API_NAMES = {
    "edit": "update",
    "cosign_confirm": "cosign",
    "cosign_decline": "cosign",
    "claim_withdraw": "withdraw",
    "confirm_delivery": "confirm",
    "decide_reassignment": "decide",
    "decide_extension": "decide",
}


def api_name(name: str) -> str:
    return API_NAMES.get(name, name.replace("_", "-"))


# --- the answers ---------------------------------------------------------------------------------------------


def _table_for(target):
    if isinstance(target, Assignment):
        return ASSIGNMENT_ACTIONS
    if isinstance(target, Claim):
        return CLAIM_ACTIONS
    if isinstance(target, ReassignmentRequest):
        return REQUEST_ACTIONS
    if isinstance(target, ExtensionRequest):
        return EXTENSION_ACTIONS
    raise TypeError(target)


def available(actor, case: Case, *, today: dt.date | None = None, ask: Ask | None = None) -> dict[str, Offer]:
    """Every action of the case itself, allowed or not, with its reason and choices."""
    ask = ask or Ask(actor, case, today)
    return {name: rule(ask) for name, rule in CASE_ACTIONS.items()}


def available_for(
    actor, target, *, case: Case | None = None, today=None, ask: Ask | None = None
) -> dict[str, Offer]:
    """Every action of an assignment, a claim, a reassignment or an extension request."""
    case = case or (target.assignment.case if hasattr(target, "assignment") else target.case)
    ask = ask or Ask(actor, case, today)
    return {name: rule(ask, target) for name, rule in _table_for(target).items()}


def offer(actor, case: Case, name: str, *, target=None, today=None) -> Offer:
    ask = Ask(actor, case, today)
    if target is None:
        return CASE_ACTIONS[name](ask)
    return _table_for(target)[name](ask, target)


def check(actor, case: Case, name: str, *, target=None, today=None, **choice) -> Offer:
    """Refuse what the offer does not allow: the action (403 / 409) or a choice outside it (400, on its field).
    Services call it under their locks, before they write."""
    answer = offer(actor, case, name, target=target, today=today)
    answer.refuse()
    units = answer.choices.get("units")
    if units is not None:
        field_name = "reassign_to" if name == "decide_reassignment" else "lead"
        for unit in choice.get("units") or []:
            if unit is not None and not units.filter(pk=unit.pk).exists():
                raise DomainError(
                    _("%(unit)s is not among the units %(congress)s may assign a case to.")
                    % {"unit": unit.name, "congress": case.congress.name},
                    field=field_name,
                )
    if (
        "priority" in answer.choices
        and "priority" in choice
        and bool(choice["priority"]) != answer.choices["priority"]
    ):
        raise TransitionNotAllowed(
            _("The case is under priority supervision already.")
            if choice["priority"]
            else _("The case is not under priority supervision.")
        )
    return answer
