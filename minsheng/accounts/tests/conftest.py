"""Fixtures of the accounts tests: accounts out of Taishan's region, donors in each state, a lock-out."""

import pytest
from django.urls import reverse

from minsheng.accounts.models import DonorProfile, User
from minsheng.accounts.tests.factories import PASSWORD, DonorProfileFactory, UserFactory


@pytest.fixture
def county_deputy_user(county_deputy):
    """单国强's account: a deputy of 台山市 (in Taishan's region, out of Kaiping's)."""
    return UserFactory(
        username="deputy_shan", role=User.Role.DEPUTY, deputy=county_deputy, mobile="13700000002"
    )


@pytest.fixture
def kaiping_donor(kaiping_congress):
    """A donor awaiting verification who chose 开平市 as area: Kaiping's and the city's, not Taishan's."""
    return DonorProfileFactory(user__username="kaiping_donor", place=kaiping_congress.place)


@pytest.fixture
def rejected_donor(admin_user):
    return DonorProfileFactory(
        user__username="rejected_donor",
        status=DonorProfile.Status.REJECTED,
        reject_reason="营业执照照片看不清",
        reviewed_by=admin_user,
    ).user


EN = {"HTTP_ACCEPT_LANGUAGE": "en"}  # the server answers in English: tests check English messages


def sign_in(client, login: str, password: str = PASSWORD, **extra):
    return client.post(reverse("accounts:login"), {"username": login, "password": password}, **extra)


def lock_out(client, login: str, limit: int = 5):
    """Fail `limit` times: the last answer is the lock-out page (in English)."""
    response = None
    for _ in range(limit):
        response = sign_in(client, login, "wrong-password", **EN)
    return response
