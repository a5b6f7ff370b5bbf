"""What the case services share: the locks (the case first, then its part: `_lock`, `_lock_part`,
`_lock_claim`), the day, amounts, seats and the check of an uploaded file."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from minsheng.common import clock, uploads
from minsheng.common.errors import DomainError
from minsheng.deputies.models import Deputy, Seat

from .. import pages
from ..models import Assignment, Case, Claim

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def _lock(case_id: int) -> Case:
    """Lock the case row for the service about to change it; the staff's queue counts over it are new once the
    transaction commits (a refused change rolls back and moves nothing)."""
    try:
        case = Case.objects.select_for_update().select_related("congress").get(pk=case_id)
    except Case.DoesNotExist:
        raise DomainError(_("No such case."), code="not_found") from None
    pages.queues_changed(case)
    return case


def _today() -> dt.date:
    return clock.today()


def _lock_part(assignment_id: int) -> tuple[Case, Assignment]:
    """Lock a unit's part the one way: its case first, then the assignment (an assignment never changes case,
    so reading its case id unlocked is safe)."""
    case_id = Assignment.objects.filter(pk=assignment_id).values_list("case_id", flat=True).first()
    if case_id is None:
        raise DomainError(_("No such assignment."), code="not_found")
    case = _lock(case_id)
    assignment = Assignment.objects.select_for_update().select_related("unit").get(pk=assignment_id)
    assignment.case = case
    return case, assignment


def _lock_claim(claim_id: int) -> tuple[Case, Claim]:
    """The wish first, then the claim."""
    case_id = Claim.objects.filter(pk=claim_id).values_list("case_id", flat=True).first()
    if case_id is None:
        raise DomainError(_("No such claim."), code="not_found")
    case = _lock(case_id)
    claim = Claim.objects.select_for_update().get(pk=claim_id)
    claim.case = case
    return case, claim


def _amount(value, *, field: str = "amount") -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise DomainError(_("Enter an amount in yuan, e.g. 350 or 350.50."), field=field) from None
    if amount <= 0:
        raise DomainError(_("The amount must be more than zero."), field=field)
    return amount


def _active_seat_congresses(deputy: Deputy) -> set[int]:
    return set(deputy.seats.filter(status=Seat.Status.ACTIVE).values_list("congress_id", flat=True))


def check_upload(upload, *, images_only: bool = False) -> uploads.CheckedFile:
    """A case's file: a photo (JPEG, PNG, WebP) or, unless `images_only`, a PDF, at most 10 MB; checked and
    cleaned by `minsheng.common.uploads` (the file's own bytes decide, photos lose their EXIF)."""
    return uploads.check_upload(
        upload, accept=uploads.PHOTOS if images_only else uploads.DOCUMENTS, max_bytes=MAX_UPLOAD_BYTES
    )
