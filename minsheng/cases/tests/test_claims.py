"""The wish wall: claims, pledges, delivery with photos, confirmation; who sees the family's contact."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from minsheng.cases import selectors, services
from minsheng.cases.models import Case, Claim
from minsheng.cases.privacy import beneficiary_for
from minsheng.common.errors import Conflict, DomainError, PermissionDenied, TransitionNotAllowed
from minsheng.common.testing import tiny_image

PNG = tiny_image("PNG")


def photo(name="handover.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture
def wall_wish(assigned_wish, haiyan_staff):
    return services.wish_put_on_wall(
        actor=haiyan_staff, case_id=assigned_wish.pk, public_summary="独居老人需要一台轮椅"
    )


@pytest.fixture
def second_donor(db):
    from minsheng.accounts.models import DonorProfile
    from minsheng.accounts.tests.factories import DonorProfileFactory

    return DonorProfileFactory(
        user__username="donor2", status=DonorProfile.Status.VERIFIED, kind="individual"
    ).user


def test_an_unverified_wish_cannot_go_on_the_wall(wish, haiyan_staff, deputy_user):
    with pytest.raises((TransitionNotAllowed, PermissionDenied)):
        services.wish_put_on_wall(actor=haiyan_staff, case_id=wish.pk, public_summary="独居老人需要一台轮椅")


def test_a_second_whole_claim_is_refused(wall_wish, donor, second_donor):
    services.claim_create(actor=donor, case_id=wall_wish.pk, kind="whole")
    with pytest.raises(Conflict):
        services.claim_create(actor=second_donor, case_id=wall_wish.pk, kind="whole")
    assert Claim.objects.filter(case=wall_wish).count() == 1


def test_pledged_shares_never_exceed_the_value(wall_wish, donor, second_donor):
    services.claim_create(actor=donor, case_id=wall_wish.pk, kind="share", amount="300")
    with pytest.raises(Conflict) as caught:
        services.claim_create(actor=second_donor, case_id=wall_wish.pk, kind="share", amount="200")
    assert caught.value.field == "amount"
    services.claim_create(actor=second_donor, case_id=wall_wish.pk, kind="share", amount="150")
    assert selectors.open_amount(wall_wish) == Decimal("0")
    with pytest.raises(Conflict):
        services.claim_create(actor=second_donor, case_id=wall_wish.pk, kind="whole")


def test_a_pending_donor_cannot_claim(wall_wish, pending_donor):
    with pytest.raises(PermissionDenied):
        services.claim_create(actor=pending_donor, case_id=wall_wish.pk, kind="whole")


def test_a_withdrawn_claim_returns_the_wish_to_the_wall(wall_wish, donor, second_donor):
    claim = services.claim_create(actor=donor, case_id=wall_wish.pk, kind="whole")
    with pytest.raises(DomainError):
        services.claim_withdraw(actor=donor, claim_id=claim.pk, reason="")
    services.claim_withdraw(actor=donor, claim_id=claim.pk, reason="资金未到位")
    assert selectors.open_amount(wall_wish) == wall_wish.amount
    services.claim_create(actor=second_donor, case_id=wall_wish.pk, kind="whole")


def test_delivery_needs_one_to_nine_photos_and_confirmation_realises_the_wish(
    wall_wish, donor, station_staff
):
    claim = services.claim_create(actor=donor, case_id=wall_wish.pk, kind="whole")
    with pytest.raises(DomainError):
        services.claim_deliver(actor=donor, claim_id=claim.pk, photos=[])
    with pytest.raises(DomainError):
        services.claim_deliver(actor=donor, claim_id=claim.pk, photos=[photo(f"{i}.png") for i in range(10)])
    with pytest.raises(DomainError):
        services.claim_deliver(
            actor=donor,
            claim_id=claim.pk,
            photos=[SimpleUploadedFile("x.png", b"MZ not an image", "image/png")],
        )
    services.claim_deliver(actor=donor, claim_id=claim.pk, photos=[photo()])
    with pytest.raises(TransitionNotAllowed):
        services.claim_withdraw(actor=donor, claim_id=claim.pk, reason="太晚了")
    services.claim_confirm(actor=station_staff, claim_id=claim.pk)
    wall_wish.refresh_from_db()
    assert wall_wish.realised_at is not None
    assert wall_wish.documents.filter(kind="handover").count() == 1


def test_only_the_claimant_after_claiming_sees_the_contact_needed_to_deliver(
    wall_wish, donor, second_donor, anonymous
):
    from django.contrib.auth.models import AnonymousUser

    assert beneficiary_for(donor, wall_wish) is None
    services.claim_create(actor=donor, case_id=wall_wish.pk, kind="whole")
    wall_wish = Case.objects.get(pk=wall_wish.pk)
    contact = beneficiary_for(donor, wall_wish)
    assert contact["phone"] == "13712345678" and "id_number" not in contact
    assert beneficiary_for(second_donor, wall_wish) is None
    assert beneficiary_for(AnonymousUser(), wall_wish) is None


def test_a_cosigner_and_another_unit_see_the_beneficiary_masked_or_not_at_all(
    assigned_wish, haiyan_handler, education_handler, haiyan_staff
):
    full = beneficiary_for(haiyan_handler, assigned_wish)
    assert full["full"] and full["name"] == "黄阿婆"
    assert beneficiary_for(education_handler, assigned_wish) is None
    assert beneficiary_for(haiyan_staff, assigned_wish)["id_number"].startswith("4407")
