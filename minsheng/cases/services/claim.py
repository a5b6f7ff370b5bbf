"""The Claim state machine: the wish wall, claims and pledges (认领 / 认捐), delivery and its confirmation,
and a wish the unit realises itself (`Claim.TRANSITIONS`)."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from minsheng.common import audit, clock
from minsheng.common import validators as checks
from minsheng.common.errors import Conflict, DomainError

from .. import actions, pages, selectors
from ..models import Case, Claim, Document, HandlingRecord
from ._base import _amount, _lock, _lock_claim, _lock_part, _today, check_upload

# --- 7. the wish wall and claims ---------------------------------------------------------------------------


@transaction.atomic
def wish_put_on_wall(*, actor, case_id: int, public_summary: str) -> Case:
    """Staff publish a verified, accepted wish on the public wall, with the few words the wall shows
    (`public_summary`), which must not identify the family."""
    from ..privacy import contains_identity

    case = _lock(case_id)
    actions.check(actor, case, "put_on_wall")
    summary = " ".join((public_summary or "").split())
    if not summary:
        raise DomainError(
            _("Write what the wish wall shows: the need in a few words."), field="public_summary"
        )
    if len(summary) > (Case._meta.get_field("public_summary").max_length or 200):
        raise DomainError(_("Keep what the wall shows to 200 characters."), field="public_summary")
    village = case.place if case.place.level == "village" else None
    if contains_identity(summary, case) or (village is not None and village.name in summary):
        raise DomainError(
            _(
                "What the wall shows must not identify the family: no name, ID number, phone, address or village."
            ),
            field="public_summary",
        )
    case.on_wall_at = clock.now()
    case.public_summary = summary
    case.save(update_fields=["on_wall_at", "public_summary", "updated_at"])
    audit.record(actor, "wish.on_wall", case)
    pages.case_changed(case)
    return case


@transaction.atomic
def claim_create(*, actor, case_id: int, kind: str, amount=None) -> Claim:
    """认领 (the whole wish) or 认捐 (a pledged share). Locks the wish: concurrent claims queue behind the lock;
    the database's unique constraint guarantees one live whole claim whatever happens."""
    case = _lock(case_id)
    actions.check(actor, case, "claim")
    if kind not in Claim.Kind.values:
        raise DomainError(_("Choose to claim the whole wish or pledge a share."), field="kind")
    taken = selectors.claimed_total(case)
    wish_value = case.amount or Decimal("0")  # a wish always has its value (case_create requires it)
    if kind == Claim.Kind.WHOLE:
        if taken > 0:
            raise Conflict(_("This wish has been claimed already."))
        value = wish_value
    else:
        pledged = _amount(amount)
        if pledged is None:
            raise DomainError(_("Enter the amount you pledge."), field="amount")
        value = pledged
        if case.claims.filter(kind=Claim.Kind.WHOLE, status__in=Claim.HOLDING).exists():
            raise Conflict(_("This wish has been claimed already."))
        if taken + value > wish_value:
            raise Conflict(
                _("Only %(left)s yuan of this wish is still open.") % {"left": wish_value - taken},
                field="amount",
            )
    try:
        with transaction.atomic():
            claim = Claim.objects.create(case=case, donor=actor, kind=kind, amount=value)
    except IntegrityError:
        raise Conflict(_("This wish has been claimed already.")) from None
    audit.record(actor, "claim.created", case, kind=kind, amount=str(value))
    pages.case_changed(case)
    return claim


@transaction.atomic
def claim_withdraw(*, actor, claim_id: int, reason: str) -> Claim:
    """A donor withdraws a claim before delivery; the wish returns to the wall."""
    case, claim = _lock_claim(claim_id)
    actions.check(actor, case, "claim_withdraw", target=claim)
    if not (reason or "").strip():
        raise DomainError(_("Give the reason for withdrawing."), field="reason")
    checks.check_length(reason.strip(), field="reason", limit=checks.limit(Claim, "withdraw_reason"))
    claim.move_to(Claim.Status.WITHDRAWN)
    claim.withdraw_reason = reason.strip()
    claim.save(update_fields=["status", "withdraw_reason", "updated_at"])
    audit.record(actor, "claim.withdrawn", case, claim=claim.pk)
    pages.case_changed(case)
    return claim


@transaction.atomic
def claim_deliver(*, actor, claim_id: int, photos: list) -> Claim:
    """The donor has handed the wish over and uploads 1–9 photos of it."""
    case, claim = _lock_claim(claim_id)
    actions.check(actor, case, "deliver", target=claim)
    if not 1 <= len(photos) <= 9:
        raise DomainError(_("Upload between 1 and 9 photos of the hand-over."), field="photos")
    checked = [check_upload(upload, images_only=True) for upload in photos]
    claim.move_to(Claim.Status.DELIVERED)
    claim.delivered_at = clock.now()
    claim.save(update_fields=["status", "delivered_at", "updated_at"])
    for photo in checked:
        Document.objects.create(
            case=case,
            claim=claim,
            kind=Document.Kind.HANDOVER,
            file=photo.content,
            original_name=photo.original_name,
            content_type=photo.content_type,
            size=photo.size,
            uploaded_by=actor,
        )
    audit.record(actor, "claim.delivered", case, claim=claim.pk, photos=len(photos))
    return claim


@transaction.atomic
def claim_confirm(*, actor, claim_id: int) -> Claim:
    """Station staff or the deputy confirm the delivery; a wish whose value is covered is realised (已实现)."""
    case, claim = _lock_claim(claim_id)
    actions.check(actor, case, "confirm_delivery", target=claim)
    claim.move_to(Claim.Status.CONFIRMED)
    claim.confirmed_at = clock.now()
    claim.save(update_fields=["status", "confirmed_at", "updated_at"])
    audit.record(actor, "claim.confirmed", case, claim=claim.pk)
    confirmed = case.claims.filter(status=Claim.Status.CONFIRMED).aggregate(total=Sum("amount"))["total"] or 0
    if case.realised_at is None and confirmed >= (case.amount or Decimal("0")):
        case.realised_at = clock.now()
        case.save(update_fields=["realised_at", "updated_at"])
        audit.record(actor, "wish.realised", case)
        pages.case_changed(case)
    return claim


@transaction.atomic
def wish_fulfil_by_unit(*, actor, assignment_id: int, photos: list, note: str = "") -> Case:
    """政府兜底 / 部门实现: the unit that answers a wish delivers it itself, with 1–9 photos as proof (the same
    checks as a donor's hand-over); the wish is realised (已实现) at once, as after a confirmed delivery, and
    leaves the wall as realised. Refused while a donor holds a live or delivered claim. Locks the case."""
    case, assignment = _lock_part(assignment_id)
    actions.check(actor, case, "fulfil_wish", target=assignment)
    if not 1 <= len(photos) <= 9:
        raise DomainError(_("Upload between 1 and 9 photos of the hand-over."), field="photos")
    checked = [check_upload(upload, images_only=True) for upload in photos]
    for photo in checked:
        Document.objects.create(
            case=case,
            assignment=assignment,
            kind=Document.Kind.HANDOVER,
            file=photo.content,
            original_name=photo.original_name,
            content_type=photo.content_type,
            size=photo.size,
            uploaded_by=actor,
        )
    if note.strip():
        HandlingRecord.objects.create(
            assignment=assignment,
            kind=HandlingRecord.Kind.PROGRESS,
            happened_on=_today(),
            note=note.strip(),
            recorded_by=actor,
        )
    case.realised_at = clock.now()
    case.realised_by_unit = assignment.unit
    case.save(update_fields=["realised_at", "realised_by_unit", "updated_at"])
    audit.record(actor, "wish.fulfilled_by_unit", case, unit=assignment.unit_id, photos=len(photos))
    audit.record(actor, "wish.realised", case)
    pages.case_changed(case)
    return case
