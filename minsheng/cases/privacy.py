"""What of a case anyone may see: the one place that decides about beneficiaries' identities.

- `beneficiary_for(actor, case)`: the full record for those who must (cases.view_beneficiary), the delivery
  contact for a donor holding a live claim (cases.view_delivery_contact), masked for other viewers of the case.
- `redact(text, case)`: text for public pages, exports and the public API: the beneficiary's name, ID number,
  phone and address and the deputies' mobiles replaced by ***.
- `wall_label(case)`: how the wall names a wish: area at township level, group, category and a number.
- `may_open_document(actor, document)`: which of a case's files one may open (pages and API alike).
- `sees_claims_only(actor)`: a donor sees a case only through his or her claims (pages and API alike): not
  the units' parts, their answers or the answer letter, whether the claim is live or finished.
  `claims_seen_by(actor, claims)`: of a case's claims, the donor's own.
- `reads_identity(actor, case)` / `text_for(actor, case)`: who reads a case's texts (title, content, notes,
  findings, opinions, handling records, answers) whole; everyone else reads them through `redact` — on the
  case page as in the API.
- `reception_matter(actor, reception)`: a reception's matter (activities) as the reader of the log may read it.
"""

import re
from collections.abc import Callable

from django.utils.translation import gettext as _

from minsheng.accounts.permissions import Role, has_role
from minsheng.common.permissions import can

from .models import Beneficiary, Case, Document

REDACTED = "***"
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def beneficiary_for(actor, case: Case) -> dict | None:
    """None when the case has no beneficiary or the actor sees nothing of it."""
    try:
        b = case.beneficiary
    except Beneficiary.DoesNotExist:
        return None
    if can(actor, "cases.view_beneficiary", case):
        return {
            "kind": b.get_kind_display(),
            "group": b.get_group_display(),
            "name": b.name,
            "id_number": b.id_number,
            "phone": b.phone,
            "address": b.address,
            "full": True,
        }
    if can(actor, "cases.view_delivery_contact", case):
        return {
            "kind": b.get_kind_display(),
            "group": b.get_group_display(),
            "name": b.name,
            "phone": b.phone,
            "address": b.address,
            "full": False,
        }
    if can(actor, "cases.view", case):
        return {"kind": b.get_kind_display(), "group": b.get_group_display(), **b.masked, "full": False}
    return None


def may_open_document(actor, document: Document, *, sees_family: bool | None = None) -> bool:
    """Files may show faces and addresses: whoever may see the family (`cases.view_beneficiary`) opens all of
    a case's files, anyone else only what he or she uploaded (a donor's hand-over photos, a unit's
    evidence). `sees_family`: that rule's answer for the document's case, when the caller has it already."""
    if sees_family is None:
        sees_family = can(actor, "cases.view_beneficiary", document.case)
    return sees_family or document.uploaded_by_id == getattr(actor, "pk", None)


def sees_claims_only(actor) -> bool:
    """A donor sees a case only through his or her claims: the claims and their delivery, not the
    verification, handling, ratings, follow-ups, supervision or other donors' claims."""
    return has_role(actor, Role.DONOR)


def claims_seen_by(actor, claims) -> list:
    """Of a case's claims, those `actor` sees when `sees_claims_only`: a donor's own (pages and API alike)."""
    return [c for c in claims if c.donor_id == getattr(actor, "pk", None)]


def reads_identity(actor, case: Case, *, sees_family: bool | None = None) -> bool:
    """Who reads a case's texts whole: who may see the family (`cases.view_beneficiary`), and a donor while
    holding a live claim (who has the delivery contact anyway). Anyone else — a co-signer, a unit whose part
    is done, a donor whose claim is delivered or confirmed — reads them with the identities removed."""
    if sees_family is None:
        sees_family = can(actor, "cases.view_beneficiary", case)
    return sees_family or can(actor, "cases.view_delivery_contact", case)


def text_for(actor, case: Case, *, sees_family: bool | None = None) -> Callable[[str], str]:
    """The function that turns a text of `case` into what `actor` may read (`sees_family`: the answer of
    `cases.view_beneficiary`, when the caller has it already)."""
    whole = reads_identity(actor, case, sees_family=sees_family)
    if whole:
        return lambda text: text or ""
    return lambda text: redact(text, case)


def reads_handling(actor) -> bool:
    """The units' parts (assignments, opinions, answers, the answer letter): not for a donor, whose view of a
    case is his or her claim."""
    return not sees_claims_only(actor)


def reception_matter(actor, reception, text: str | None = None) -> str:
    """A reception's matter (接待, activities) — or the `text` of one of its matters (反映事项, issue 11): whole
    for who may see the visitor (`activities.view_visitor`: the station's staff, the deputies who received,
    staff covering it); for the other readers of the log, and in exports, without the visitor's name and
    phone, the identity of the linked case's beneficiary, ID numbers and mobiles."""
    if text is None:
        text = reception.matter
    if can(actor, "activities.view_visitor", reception):
        return text
    text = text or ""
    case = reception.case
    if case is not None:
        text = redact(text, case)
    for secret in sorted(
        {s for s in (reception.contact_name, reception.contact_phone) if s and len(s) >= 2},
        key=len,
        reverse=True,
    ):
        text = text.replace(secret, REDACTED)
    text = _ID_NUMBER.sub(REDACTED, text)
    return _MOBILE.sub(REDACTED, text)


def reception_matters(actor, receptions) -> list:
    """The rows of a reception log with each `matter` as `actor` may read it (`reception_matter`), in one more
    query at most (the linked cases' beneficiaries, only when some row is not read whole). Page copies only:
    the rows are never saved."""
    from django.db.models import prefetch_related_objects

    rows = list(receptions)
    partial = [r for r in rows if not can(actor, "activities.view_visitor", r)]
    cases = [r.case for r in partial if r.case is not None]
    if cases:
        prefetch_related_objects(cases, "beneficiary")
    for reception in partial:
        reception.matter = reception_matter(actor, reception)
    return rows


def _secrets_of(case: Case) -> list[str]:
    secrets = []
    try:
        b = case.beneficiary
        secrets += [b.name, b.id_number, b.phone, b.address]
    except Beneficiary.DoesNotExist:
        pass
    return sorted({s for s in secrets if s and len(s) >= 2}, key=len, reverse=True)


def redact(text: str, case: Case) -> str:
    """Remove identities from text shown to the public."""
    text = text or ""
    for secret in _secrets_of(case):
        text = text.replace(secret, REDACTED)
    text = _ID_NUMBER.sub(REDACTED, text)
    return _MOBILE.sub(REDACTED, text)


def contains_identity(text: str, case: Case) -> bool:
    return redact(text, case) != (text or "")


def township_of(place):
    """The township-level place at or above `place` (the wall never names a village)."""
    while place is not None and place.level not in ("township", "county", "city", "province"):
        place = place.parent
    return place


def wall_label(case: Case) -> str:
    township = township_of(case.place)
    try:
        group = case.beneficiary.get_group_display()
    except Beneficiary.DoesNotExist:
        group = ""
    return _("%(area)s · %(group)s · wish no. %(id)d") % {
        "area": township.name if township else "",
        "group": group,
        "id": case.pk,
    }
