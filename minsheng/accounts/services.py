"""Every write of the accounts app: donors, lock-outs, API tokens, the sign-in record."""

from axes.utils import reset as axes_reset
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from minsheng.common import audit, clock
from minsheng.common.crypto import blind_index
from minsheng.common.errors import Conflict, DomainError
from minsheng.common.permissions import ensure
from minsheng.common.phones import looks_like_mobile, normalize_mobile
from minsheng.common.privacy import mask_mobile
from minsheng.common.validators import required_text

from .models import DonorProfile, User
from .validators import validate_credit_code, validate_new_password, validate_new_username

# --- donors -------------------------------------------------------------------------------------------------


def _required(errors: dict, field: str, value: str) -> str:
    """`validators.required_text`, its refusal collected in `errors` (a donor's form answers every field)."""
    try:
        return required_text(value, field=field)
    except DomainError as exc:
        errors.setdefault(field, []).append(ValidationError(exc.message, code=exc.code))
        return ""


def _check_credit_code(
    errors: dict, kind: str, credit_code: str, *, exclude_profile: int | None = None
) -> str:
    """Enterprises and organisations give their 统一社会信用代码; individuals have none."""
    if kind == DonorProfile.Kind.INDIVIDUAL:
        return ""
    if not (credit_code or "").strip():
        errors.setdefault("credit_code", []).append(
            ValidationError(
                _("Enterprises and social organisations must give their unified social credit code."),
                code="required",
            )
        )
        return ""
    try:
        code = validate_credit_code(credit_code)
    except ValidationError as exc:
        errors.setdefault("credit_code", []).append(exc)
        return ""
    taken = DonorProfile.objects.filter(credit_code=code)
    if exclude_profile is not None:
        taken = taken.exclude(pk=exclude_profile)
    if taken.exists():
        errors.setdefault("credit_code", []).append(
            ValidationError(
                _("A donor with this unified social credit code is already registered."), code="taken"
            )
        )
    return code


def donor_registration_check(
    *,
    username: str,
    password: str,
    mobile: str,
    kind: str,
    name: str,
    contact_name: str = "",
    credit_code: str = "",
) -> dict:
    """Check a registration in full and return the cleaned values, or raise one ValidationError that maps
    every wrong field to its errors (so a form shows them all at once). Reads only."""
    errors: dict[str, list[ValidationError]] = {}
    if kind not in DonorProfile.Kind.values:
        errors["kind"] = [ValidationError(_("Choose the kind of donor."), code="invalid_choice")]
    name = _required(errors, "name", name)
    contact_name = (contact_name or "").strip()
    if kind == DonorProfile.Kind.INDIVIDUAL:
        contact_name = contact_name or name
    else:
        contact_name = _required(errors, "contact_name", contact_name)
    code = _check_credit_code(errors, kind, credit_code)

    clean_username = ""
    try:
        clean_username = validate_new_username(username)
        if not clean_username:
            raise ValidationError(_("This field is required."), code="required")
        if User.objects.filter(username__iexact=clean_username).exists():
            raise ValidationError(_("This username is taken; choose another."), code="taken")
    except ValidationError as exc:
        errors.setdefault("username", []).append(exc)

    clean_mobile = ""
    try:
        clean_mobile = normalize_mobile(mobile)
        if User.objects.filter(mobile_index=blind_index(clean_mobile)).exists():
            raise ValidationError(
                _("An account with this mobile number exists already: sign in with it instead."), code="taken"
            )
    except ValidationError as exc:
        errors.setdefault("mobile", []).append(exc)

    try:
        validate_new_password(
            password or "",
            User(username=clean_username or username or "", display_name=name, role=User.Role.DONOR),
        )
    except ValidationError as exc:
        errors.setdefault("password", []).append(exc)

    if errors:
        raise ValidationError(errors)
    return {
        "username": clean_username,
        "mobile": clean_mobile,
        "kind": kind,
        "name": name,
        "contact_name": contact_name,
        "credit_code": code,
    }


@transaction.atomic
def donor_register(
    *,
    actor,
    username: str,
    password: str,
    mobile: str,
    kind: str,
    name: str,
    contact_name: str = "",
    credit_code: str = "",
    place=None,
) -> DonorProfile:
    """社会力量注册: create a donor account (able to sign in, not to act) and its profile awaiting verification.
    Raises ValidationError (field -> errors) for wrong input, Conflict if someone took the username or mobile
    number in the meantime."""
    ensure(actor, "accounts.register_donor")
    data = donor_registration_check(
        username=username,
        password=password,
        mobile=mobile,
        kind=kind,
        name=name,
        contact_name=contact_name,
        credit_code=credit_code,
    )
    user = User(
        username=data["username"], role=User.Role.DONOR, display_name=data["name"], mobile=data["mobile"]
    )
    user.set_password(password)
    try:
        with transaction.atomic():  # a savepoint: PostgreSQL must be able to go on after the IntegrityError
            user.save()
            profile = DonorProfile.objects.create(
                user=user,
                kind=data["kind"],
                name=data["name"],
                contact_name=data["contact_name"],
                credit_code=data["credit_code"],
                place=place,
            )
    except IntegrityError:
        raise Conflict(
            _("This username, mobile number or credit code has just been registered by someone else."),
            code="taken",
        ) from None
    audit.record(
        actor, "donor.registered", profile, kind=profile.kind, by_staff=bool(actor and actor.is_authenticated)
    )
    return profile


def _locked_profile(donor_id: int) -> DonorProfile:
    try:
        return DonorProfile.objects.select_for_update().get(pk=donor_id)
    except DonorProfile.DoesNotExist:
        raise DomainError(_("There is no such donor."), code="not_found") from None


@transaction.atomic
def donor_verify(*, actor, donor_id: int) -> DonorProfile:
    """Verify a donor awaiting verification: from now on the donor may claim and pledge. Locks the profile."""
    profile = _locked_profile(donor_id)
    ensure(actor, "accounts.manage_donors", profile)
    profile.move_to(DonorProfile.Status.VERIFIED)
    profile.reviewed_by = actor
    profile.reviewed_at = clock.now()
    profile.reject_reason = ""
    profile.save(update_fields=["status", "reviewed_by", "reviewed_at", "reject_reason", "updated_at"])
    audit.record(actor, "donor.verified", profile)
    return profile


@transaction.atomic
def donor_reject(*, actor, donor_id: int, reason: str) -> DonorProfile:
    """Refuse a donor awaiting verification, saying why (the donor reads the reason and may ask again).
    Locks the profile."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the donor is rejected."), field="reason", code="required")
    max_length = DonorProfile._meta.get_field("reject_reason").max_length or 300
    if len(reason) > max_length:
        raise DomainError(
            _("The reason may have at most %(n)d characters.") % {"n": max_length},
            field="reason",
            code="max_length",
        )
    profile = _locked_profile(donor_id)
    ensure(actor, "accounts.manage_donors", profile)
    profile.move_to(DonorProfile.Status.REJECTED)
    profile.reviewed_by = actor
    profile.reviewed_at = clock.now()
    profile.reject_reason = reason
    profile.save(update_fields=["status", "reviewed_by", "reviewed_at", "reject_reason", "updated_at"])
    audit.record(actor, "donor.rejected", profile, reason=reason)
    return profile


@transaction.atomic
def donor_resubmit(*, actor, name: str, contact_name: str = "", credit_code: str = "") -> DonorProfile:
    """A rejected donor corrects the profile and asks for verification again. Locks the profile."""
    try:
        profile = DonorProfile.objects.select_for_update().get(user_id=actor.pk)
    except DonorProfile.DoesNotExist:
        raise DomainError(_("You have no donor profile."), code="not_found") from None
    ensure(actor, "accounts.donor_resubmit", profile)
    errors: dict[str, list[ValidationError]] = {}
    name = _required(errors, "name", name)
    contact_name = (contact_name or "").strip()
    if profile.kind == DonorProfile.Kind.INDIVIDUAL:
        contact_name = contact_name or name
    else:
        contact_name = _required(errors, "contact_name", contact_name)
    code = _check_credit_code(errors, profile.kind, credit_code, exclude_profile=profile.pk)
    if errors:
        raise ValidationError(errors)
    profile.move_to(DonorProfile.Status.PENDING)
    profile.name, profile.contact_name, profile.credit_code = name, contact_name, code
    profile.save(update_fields=["status", "name", "contact_name", "credit_code", "updated_at"])
    audit.record(actor, "donor.resubmitted", profile)
    return profile


# --- sign-in, lock-outs, tokens -----------------------------------------------------------------------------


def signin_record(*, actor: User, via: str) -> None:
    """Write the audit record of a sign-in through the sign-in page (`via`: "username" or "mobile").
    The person signs in as themself, so there is no permission to check."""
    audit.record(actor, "user.signed_in", actor, via=via)


@transaction.atomic
def lockout_lift(*, actor, username: str) -> int:
    """Release a locked-out username (every address), so its owner can sign in again at once. Returns the
    number of attempt records removed."""
    user = User.objects.filter(username=username).first()
    ensure(actor, "accounts.lift_lockout", user)
    removed = axes_reset(username=username)
    shown = mask_mobile(username) if user is None and looks_like_mobile(username) else username
    audit.record(actor, "user.lockout_lifted", user, username=shown, attempts=removed)
    return removed


@transaction.atomic
def token_create(*, actor, username: str, rotate: bool = False) -> Token:
    """An API token for an integration's account (the existing one unless `rotate`). `actor` None means the
    command line, which is trusted: whoever runs it has the server."""
    try:
        user = User.objects.select_for_update().get(username=username)
    except User.DoesNotExist:
        raise DomainError(
            _("There is no account “%(username)s”.") % {"username": username}, code="not_found"
        ) from None
    if actor is not None:
        ensure(actor, "accounts.create_token", user)
    if not user.is_active:
        raise DomainError(
            _("The account “%(username)s” is deactivated.") % {"username": username}, code="inactive"
        )
    if rotate:
        Token.objects.filter(user=user).delete()
    token, created = Token.objects.get_or_create(user=user)
    if created:
        audit.record(actor, "user.token_created", user, rotated=rotate)
    return token
