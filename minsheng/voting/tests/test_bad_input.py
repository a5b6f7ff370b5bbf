"""Dates and text that make no sense are refused by the voting services (issue 8, part 3)."""

import datetime as dt

import pytest

from minsheng.common.errors import DomainError
from minsheng.voting import services
from minsheng.voting.models import Candidate, Proposal, Solicitation

from .factories import SolicitationFactory

pytestmark = pytest.mark.django_db


def test_a_solicitation_window_before_2000_or_beyond_ten_years_is_refused(haiyan_congress, haiyan_staff):
    window = {"actor": haiyan_staff, "congress": haiyan_congress, "year": 2027, "title": "征集"}
    with pytest.raises(DomainError) as early:
        services.solicitation_create(**window, opens_on=dt.date(1999, 10, 1), closes_on=dt.date(2026, 11, 30))
    with pytest.raises(DomainError) as far:
        services.solicitation_create(**window, opens_on=dt.date(2026, 10, 1), closes_on=dt.date(2099, 11, 30))
    assert (early.value.field, early.value.code) == ("opens_on", "date_too_early")
    assert (far.value.field, far.value.code) == ("closes_on", "date_too_far")
    assert not Solicitation.objects.exists()


def test_a_proposal_or_a_candidate_description_too_long_is_refused(
    haiyan_congress, haiyan_staff, civil_affairs
):
    solicitation = SolicitationFactory(congress=haiyan_congress)
    with pytest.raises(DomainError) as proposal:
        services.proposal_submit(
            actor=None, solicitation_id=solicitation.pk, title="路灯", description="长" * 5001
        )
    with pytest.raises(DomainError) as candidate:
        services.candidate_add(
            actor=haiyan_staff,
            solicitation_id=solicitation.pk,
            title="路灯",
            description="长" * 5001,
            lead_unit=civil_affairs,
            budget="10",
        )
    assert (proposal.value.field, proposal.value.code) == ("description", "max_length")
    assert (candidate.value.field, candidate.value.code) == ("description", "max_length")
    assert not Proposal.objects.exists() and not Candidate.objects.exists()
