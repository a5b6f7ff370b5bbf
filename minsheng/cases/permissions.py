"""Who may do what with a case. Scoping of lists (selectors) uses the same predicates: a case outside the
actor's view answers 404.

Personal data of a wish's beneficiary (name, ID number, phone, address) is decided here and only here:
`cases.view_beneficiary` (full record) and `cases.view_delivery_contact` (what a claimant needs to deliver).
"""

import datetime as dt
from typing import NamedTuple

from django.utils.translation import gettext as _

from minsheng.accounts.permissions import (
    Role,
    has_role,
    is_admin,
    is_verified_donor,
    staff_covers,
    staff_scope_prefix,
)
from minsheng.common.permissions import rule

from . import rules as R
from .models import Assignment, Case, Claim, Cosigner
from .selectors import claims_held_by


def _is_lead(actor, case) -> bool:
    return has_role(actor, Role.DEPUTY) and actor.deputy_id == case.lead_deputy_id


def _is_deputy_of(actor, case) -> bool:
    if not has_role(actor, Role.DEPUTY):
        return False
    return (
        actor.deputy_id == case.lead_deputy_id
        or case.cosigner_links.filter(deputy_id=actor.deputy_id, status=Cosigner.Status.CONFIRMED).exists()
    )


def _is_invited(actor, case) -> bool:
    """Named as co-signer and not yet confirmed or declined: may see the case to decide."""
    return has_role(actor, Role.DEPUTY) and (
        case.cosigner_links.filter(deputy_id=actor.deputy_id, status=Cosigner.Status.INVITED).exists()
    )


def _is_station_staff_of(actor, case) -> bool:
    return (
        has_role(actor, Role.STATION_STAFF)
        and case.station_id is not None
        and actor.station_id == case.station_id
    )


def _handles(actor, case, *, live_only: bool = False) -> bool:
    if not has_role(actor, Role.UNIT_HANDLER):
        return False
    assignments = case.assignments.filter(unit_id=actor.unit_id)
    if live_only:
        assignments = assignments.filter(status__in=Assignment.LIVE)
    return assignments.exclude(status=Assignment.Status.REMOVED).exists()


def _holds_claim(actor, case) -> bool:
    return has_role(actor, Role.DONOR) and claims_held_by(actor).filter(case=case).exists()


@rule("cases.create")
def can_create(actor, obj) -> bool:
    """A deputy records his or her own cases; station staff for the deputies of their station; staff."""
    return has_role(actor, Role.DEPUTY, Role.STATION_STAFF, Role.CONGRESS_STAFF) or is_admin(actor)


@rule("cases.view")
def can_view(actor, case) -> bool:
    if case is None:
        return False
    return (
        staff_covers(actor, case.congress)
        or _is_deputy_of(actor, case)
        or _is_invited(actor, case)
        or _is_station_staff_of(actor, case)
        or (case.created_by_id == getattr(actor, "pk", None))
        or _handles(actor, case)
        or _holds_claim(actor, case)
    )


@rule("cases.edit")
def can_edit(actor, case) -> bool:
    return case is not None and (
        case.created_by_id == getattr(actor, "pk", None)
        or _is_lead(actor, case)
        or staff_covers(actor, case.congress)
    )


@rule("cases.verify")
def can_verify(actor, case) -> bool:
    return case is not None and (
        _is_station_staff_of(actor, case) or _is_lead(actor, case) or staff_covers(actor, case.congress)
    )


@rule("cases.file")
def can_file(actor, case) -> bool:
    """The lead deputy files and withdraws; staff may do it on the deputy's behalf (a paper filing)."""
    return case is not None and (_is_lead(actor, case) or staff_covers(actor, case.congress))


@rule("cases.review")
def can_review(actor, case) -> bool:
    """立案, 交办, 重新交办, publishing, the wall, supervision, merging: the congress's staff."""
    return case is not None and staff_covers(actor, case.congress)


@rule("cases.close_unrated")
def can_close_unrated(actor, case) -> bool:
    """未反馈: closing an answered case the deputy did not rate in time, the congress's staff (the state and
    the deadline are the service's: `Case.rating_overdue`)."""
    return case is not None and staff_covers(actor, case.congress)


@rule("cases.handle")
def can_handle(actor, assignment) -> bool:
    """签收, progress, contacts, opinions, answers, reassignment requests: the assigned unit's handlers."""
    return (
        assignment is not None and has_role(actor, Role.UNIT_HANDLER) and actor.unit_id == assignment.unit_id
    )


@rule("cases.rate")
def can_rate(actor, case) -> bool:
    return case is not None and _is_deputy_of(actor, case)


@rule("cases.follow_up")
def can_follow_up(actor, case) -> bool:
    return case is not None and (
        _is_lead(actor, case) or _is_station_staff_of(actor, case) or staff_covers(actor, case.congress)
    )


@rule("cases.view_beneficiary")
def can_view_beneficiary(actor, case) -> bool:
    """Name, ID number, phone and address in full: who records, verifies, decides and handles the wish."""
    return case is not None and (
        staff_covers(actor, case.congress)
        or _is_lead(actor, case)
        or _is_station_staff_of(actor, case)
        or case.created_by_id == getattr(actor, "pk", None)
        or _handles(actor, case, live_only=True)
    )


@rule("cases.view_delivery_contact")
def can_view_delivery_contact(actor, case) -> bool:
    """Only a donor holding a live claim on the wish, and only after claiming it."""
    return (
        case is not None
        and has_role(actor, Role.DONOR)
        and case.claims.filter(donor=actor, status=Claim.Status.LIVE).exists()
    )


@rule("cases.claim")
def can_claim(actor, case) -> bool:
    return case is not None and is_verified_donor(actor)


@rule("cases.confirm_delivery")
def can_confirm_delivery(actor, case) -> bool:
    return case is not None and (
        _is_station_staff_of(actor, case) or _is_lead(actor, case) or staff_covers(actor, case.congress)
    )


@rule("cases.view_wall")
def can_view_wall(actor, obj) -> bool:
    return True


def is_public_case(case: Case) -> bool:
    return case.published_at is not None or (case.kind == Case.Kind.WISH and case.on_wall_at is not None)


@rule("cases.view_stats")
def can_view_stats(actor, obj) -> bool:
    """The statistics page and its Excel export: congress staff (their region's cases) and admins."""
    return is_admin(actor) or has_role(actor, Role.CONGRESS_STAFF)


@rule("cases.export")
def can_export(actor, obj) -> bool:
    """The Excel list of one's own cases (scoped like every list; never a beneficiary's identity)."""
    return is_admin(actor) or has_role(
        actor, Role.CONGRESS_STAFF, Role.DEPUTY, Role.STATION_STAFF, Role.UNIT_HANDLER
    )


# --- 重点督办, 联名, 协办, 延期, 政府兜底 (issue 8) ------------------------------------------------------------------


@rule("cases.view_priority_list")
def can_view_priority_list(actor, obj) -> bool:
    """The year's list of 重点督办 cases (page, print, PDF, Excel): congress staff (their region) and admins."""
    return staff_scope_prefix(actor) is not None


@rule("cases.cosign_respond")
def can_cosign_respond(actor, case) -> bool:
    """A deputy named as co-signer confirms or declines, once, while the invitation stands."""
    return case is not None and _is_invited(actor, case)


def opinions_missing(assignment, *, today: dt.date) -> list:
    """协办: the assisting units of the round whose opinion the lead unit still waits for — not sent, and
    their opinion month (`opinion_due`) not yet passed. The lead unit answers only when this is empty.
    The one rule for the page, the API's actions and `services.answer_submit`."""
    if assignment.role != Assignment.Role.LEAD:
        return []
    return [
        a
        for a in assignment.case.assignments.filter(
            round=assignment.round, role=Assignment.Role.ASSISTING, status__in=Assignment.LIVE
        ).select_related("unit")
        if a.opinion_due is None or today <= a.opinion_due
    ]


def opinions_missing_message(missing: list) -> str:
    """The refusal naming the missing units and the date from which the answer may go without them."""
    return _(
        "The answer waits for the opinion of the assisting units: %(units)s. "
        "It can be sent once they have sent it, or from %(date)s without it."
    ) % {
        "units": "、".join(a.unit.name for a in missing),
        "date": (max(a.opinion_due for a in missing if a.opinion_due) + dt.timedelta(days=1)).isoformat()
        if any(a.opinion_due for a in missing)
        else "—",
    }


def extension_refusal(assignment, *, today: dt.date) -> str | None:
    """延期: why the unit may not ask for an extension now (None: it may). Before its answer deadline, on a
    part that answers (lead or split), acknowledged or not, with no request pending."""
    if not assignment.answers_the_case:
        return _("An assisting unit sends its opinion; only a unit that answers asks for an extension.")
    if assignment.status not in (Assignment.Status.PENDING, Assignment.Status.HANDLING):
        return _("Only a unit still handling its part asks for an extension.")
    if today > assignment.answer_due:
        return _("An extension is asked before the answer deadline (%(date)s); that time has passed.") % {
            "date": assignment.answer_due.isoformat()
        }
    if any(r.decision == "pending" for r in assignment.extension_requests.all()):
        return _("An extension request of this unit is waiting for the staff's decision.")
    return None


def assigned_on(assignment) -> dt.date:
    """The unit's own 交办 date (a reassigned unit's part starts on the day of the re-交办)."""
    from django.utils import timezone

    return timezone.localdate(assignment.created_at)


def extension_cap_for(assignment) -> dt.date:
    return R.extension_cap(assigned_on(assignment), R.rules_for(assignment.case.congress))


@rule("cases.fulfil_wish")
def can_fulfil_wish(actor, assignment) -> bool:
    """政府兜底 / 部门实现: the handlers of the unit that answers a wish deliver it themselves."""
    return (
        assignment is not None
        and can_handle(actor, assignment)
        and assignment.answers_the_case
        and assignment.case.kind == Case.Kind.WISH
    )


def fulfil_refusal(assignment) -> str | None:
    """Why the unit may not record that it delivered the wish itself now (None: it may)."""
    case = assignment.case
    if case.realised_at is not None:
        return _("The wish is realised already.")
    if assignment.status != Assignment.Status.HANDLING or case.status != Case.Status.ASSIGNED:
        return _("Acknowledge the case, and deliver the wish while it is being handled.")
    if case.claims.filter(status__in=[Claim.Status.LIVE, Claim.Status.DELIVERED]).exists():
        return _("A donor holds a claim on this wish: it is delivered by the donor, or the claim withdrawn.")
    return None


# --- printed documents (issue 12) ---------------------------------------------------------------------------


class Printout(NamedTuple):
    """What `cases.print` is asked about: one of `PRINTOUTS` of a case (`case` None: the 交办清单)."""

    document: str
    case: Case | None = None


PRINTOUTS = (
    "answer_letter",  # 答复函 (with its 征询意见表)
    "feedback_form",  # 征询意见表
    "registration",  # 建议登记表
    "assignment_notice",  # 交办通知单
    "supervision_notice",  # 督办通知
    "home_verification",  # 入户核实表
    "assignment_list",  # 交办清单 (a day's assignments; no case)
)


class _PrintFacts(NamedTuple):
    answered_rounds: frozenset
    units_of_round: frozenset  # the units with a part (not reassigned away) in the current round


def _print_facts(case) -> _PrintFacts:
    """What the printouts depend on, read once per case object (two queries): the case page asks the rule
    for each of its documents."""
    facts = case.__dict__.get("_print_facts")
    if facts is None:
        facts = _PrintFacts(
            frozenset(case.answers.values_list("round", flat=True)),
            frozenset(
                case.assignments.filter(round=case.round)
                .exclude(status=Assignment.Status.REMOVED)
                .values_list("unit_id", flat=True)
            ),
        )
        case.__dict__["_print_facts"] = facts
    return facts


def prime_print_facts(case, assignments, *, viewer=None) -> None:
    """Give `cases.print` the facts from the case page's own rows (every part of every round, with its
    answer), so that asking it for each document costs no query for them; `viewer`: the user the case page
    is shown to, who reached it through the scope of `cases.view` (`selectors.case_get_for`)."""
    if viewer is not None:
        case.__dict__.setdefault("_print_viewers", {})[getattr(viewer, "pk", None)] = True
    case.__dict__["_print_facts"] = _PrintFacts(
        frozenset(a.round for a in assignments if getattr(a, "answer", None) is not None),
        frozenset(
            a.unit_id for a in assignments if a.round == case.round and a.status != Assignment.Status.REMOVED
        ),
    )


def _sees_answers(actor, case) -> bool:
    """The rule of the answer letter: who may view the case and reads the units' parts (not a donor); asked
    once per actor and case object."""
    from .privacy import reads_handling

    if not reads_handling(actor):
        return False
    seen = case.__dict__.setdefault("_print_viewers", {})
    key = getattr(actor, "pk", None)
    if key not in seen:
        seen[key] = can_view(actor, case)
    return seen[key]


@rule("cases.print")
def can_print(actor, printout) -> bool:
    """Printed documents, on the case page and under /cases/stats/: the answer letter and the feedback form
    for whoever sees the answer (once there is one), the registration form for whoever sees the case's
    handling, the assignment and supervision notices for the staff and the units of the current round (once
    assigned; the supervision notice while it is handled), the home verification form of a wish for who
    verifies it, the day's list of assignments for staff. What each shows of a beneficiary is
    `privacy.beneficiary_for` / `privacy.text_for`."""
    if not isinstance(printout, Printout) or printout.document not in PRINTOUTS:
        return False
    document, case = printout
    if document == "assignment_list":
        return staff_scope_prefix(actor) is not None
    if case is None:
        return False
    if document == "home_verification":
        return case.kind == Case.Kind.WISH and can_verify(actor, case)
    if document == "registration":
        return _sees_answers(actor, case)
    facts = _print_facts(case)
    if document == "answer_letter":
        return bool(facts.answered_rounds) and _sees_answers(actor, case)
    if document == "feedback_form":
        return case.round in facts.answered_rounds and _sees_answers(actor, case)
    # the assignment and supervision notices
    if not facts.units_of_round:
        return False
    if document == "supervision_notice" and case.status != Case.Status.ASSIGNED:
        return False
    in_round = has_role(actor, Role.UNIT_HANDLER) and actor.unit_id in facts.units_of_round
    return in_round or staff_covers(actor, case.congress)
