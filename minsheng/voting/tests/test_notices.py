"""Issue 12: opening a vote tells every deputy of its electorate, in the app, by e-mail and by SMS."""

import pytest

from minsheng.notifications.tests.deliveries import delivered_to, sms_recorder  # noqa: F401
from minsheng.voting import services

pytestmark = pytest.mark.usefixtures("sms_recorder")


def test_opening_a_vote_tells_each_elector_with_a_link_to_the_ballot(
    vote,
    voters,
    haiyan_staff,
):
    chen = voters[0]
    chen.email, chen.mobile = "chenhai@example.cn", "13800000021"
    chen.save(update_fields=["email", "mobile"])
    services.vote_open(actor=haiyan_staff, vote_id=vote.pk)
    link = f"/votes/{vote.pk}/"
    for voter in voters:
        got = delivered_to(voter)
        assert len(got.notes) == 1 and vote.title in got.notes[0] and got.links == [link]
    got = delivered_to(chen)
    assert len(got.emails) == 1 and link in got.emails[0][1]
    assert len(got.sms) == 1 and vote.title in got.sms[0]
    assert delivered_to(haiyan_staff).notes == []  # staff are not electors
