"""The votes API: who may call which endpoint, the deputy's ballot and receipt, the staff steps, and results
that the public sees only once published — never who voted how."""

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from minsheng.accounts.models import User
from minsheng.accounts.tests.factories import UserFactory
from minsheng.common.testing import status_for
from minsheng.voting import services
from minsheng.voting.models import Ballot, Proposal, VoteSession
from minsheng.voting.tests.factories import check_in_quorum, in_box, peek_box

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "admin_user",
    "haiyan_staff",
    "kaiping_staff",
    "deputy_user",
    "kaiping_deputy_user",
    "station_staff",
    "civil_affairs_handler",
    "donor",
]


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def kaiping_deputy_user(kaiping_deputy):
    return UserFactory(username="deputy_ou", role=User.Role.DEPUTY, deputy=kaiping_deputy)


@pytest.fixture
def who(request):
    def get(role):
        return None if role == "anonymous" else request.getfixturevalue(role)

    return get


@pytest.fixture
def open_vote(vote, voters, haiyan_staff):
    services.vote_open(actor=haiyan_staff, vote_id=vote.pk)
    vote.refresh_from_db()
    return vote


def marks(vote, *fors):
    return {str(c.pk): "for" if c.number in fors else "against" for c in vote.candidates.all()}


def post(api, url, data):
    return api.post(url, data, format="json")


# --- the permission matrix ---------------------------------------------------------------------------------

STAFF_READ = {
    "anonymous": 404,
    "admin_user": 200,
    "haiyan_staff": 200,
    "kaiping_staff": 404,
    "deputy_user": 404,
    "kaiping_deputy_user": 404,
    "station_staff": 404,
    "civil_affairs_handler": 404,
    "donor": 404,
}


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_vote_is_seen_only_by_staff_covering_the_congress(client, who, vote, role):
    assert status_for(client, who(role), "get", f"/api/v1/votes/{vote.pk}/") == STAFF_READ[role]


@pytest.mark.parametrize("role", ROLES)
def test_an_open_vote_is_seen_by_its_staff_and_its_electorate(client, who, open_vote, role):
    expected = {**STAFF_READ, "deputy_user": 200}
    assert status_for(client, who(role), "get", f"/api/v1/votes/{open_vote.pk}/") == expected[role]


@pytest.mark.parametrize("role", ROLES)
def test_proposals_are_read_by_staff_only(client, who, vote, role):
    proposal = Proposal.objects.create(
        solicitation=vote.solicitation, source=Proposal.Source.PUBLIC, title="修路", description="修路"
    )
    expected = {**STAFF_READ, "anonymous": 403}
    assert status_for(client, who(role), "get", f"/api/v1/proposals/{proposal.pk}/") == expected[role]


@pytest.mark.parametrize("role", ROLES)
def test_lists_answer_everyone_with_their_own_scope(client, who, vote, role):
    user = who(role)
    for url in ("/api/v1/solicitations/", "/api/v1/votes/"):
        assert status_for(client, user, "get", url) == 200
    expected = 403 if role == "anonymous" else 200
    assert status_for(client, user, "get", "/api/v1/candidates/") == expected
    assert status_for(client, user, "get", "/api/v1/proposals/") == expected


def test_staff_of_another_congress_see_none_of_its_votes(api, kaiping_staff, vote):
    api.force_authenticate(kaiping_staff)
    assert api.get("/api/v1/votes/").json()["count"] == 0
    assert api.get("/api/v1/candidates/").json()["count"] == 0


STAFF_ACT = {
    "anonymous": 403,
    "kaiping_staff": 404,
    "deputy_user": 403,
    "kaiping_deputy_user": 404,
    "station_staff": 404,
    "civil_affairs_handler": 404,
    "donor": 404,
}


@pytest.mark.parametrize("role", list(STAFF_ACT))
@pytest.mark.parametrize(
    "action,data",
    [
        ("close", {}),
        ("publish", {}),
        ("check-in", {"deputy": None}),
        ("paper-collected", {"deputy": None}),
        ("paper-entry", {"serial": "1", "choices": {}}),
        ("runoff-decision", {"hold": False, "note": "空缺"}),
    ],
)
def test_staff_steps_refuse_everyone_else_and_change_nothing(
    client, who, open_vote, town_deputy, role, action, data
):
    if "deputy" in data:
        data = {"deputy": town_deputy.pk}
    status = status_for(
        client,
        who(role),
        "post",
        f"/api/v1/votes/{open_vote.pk}/{action}/",
        data,
        content_type="application/json",
    )
    assert status == STAFF_ACT[role]
    open_vote.refresh_from_db()
    assert open_vote.status == VoteSession.Status.OPEN
    assert not open_vote.electors.filter(checked_in_at__isnull=False).exists()
    assert not open_vote.electors.filter(has_voted=True).exists()


BALLOT = {
    "anonymous": 403,
    "admin_user": 403,
    "haiyan_staff": 403,
    "kaiping_staff": 404,
    "deputy_user": 201,
    "kaiping_deputy_user": 404,
    "station_staff": 404,
    "civil_affairs_handler": 404,
    "donor": 404,
}


@pytest.mark.parametrize("role", ROLES)
def test_only_a_deputy_of_the_electorate_casts_a_ballot(api, who, open_vote, role):
    user = who(role)
    if user is not None:
        api.force_authenticate(user)
    response = post(api, f"/api/v1/votes/{open_vote.pk}/ballot/", {"choices": marks(open_vote, 1)})
    assert response.status_code == BALLOT[role]
    assert in_box(open_vote) == (1 if BALLOT[role] == 201 else 0)
    assert not Ballot.objects.filter(vote=open_vote).exists()  # counted ballots are written at closing


# --- ballots, receipts and results -------------------------------------------------------------------------


def test_a_ballot_returns_a_receipt_that_checks_as_counted(api, deputy_user, open_vote):
    api.force_authenticate(deputy_user)
    response = post(api, f"/api/v1/votes/{open_vote.pk}/ballot/", {"choices": marks(open_vote, 1, 2)})
    assert response.status_code == 201
    receipt = response.json()["receipt"]
    api.force_authenticate(None)
    assert post(api, "/api/v1/receipts/check/", {"receipt": receipt}).json() == {
        "counted": True,
        "status": "sealed",
    }
    assert post(api, "/api/v1/receipts/check/", {"receipt": "XXXX"}).json() == {
        "counted": False,
        "status": "unknown",
    }


def test_bad_ballots_are_refused_and_change_nothing(api, deputy_user, haiyan_staff, open_vote):
    api.force_authenticate(deputy_user)
    url = f"/api/v1/votes/{open_vote.pk}/ballot/"
    with translation.override("en"):
        too_many = post(api, url, {"choices": marks(open_vote, 1, 2, 3)})
    assert too_many.status_code == 400
    assert in_box(open_vote) == 0
    assert post(api, url, {"choices": {"x": "for"}}).status_code == 400
    assert post(api, url, {"choices": marks(open_vote, 1)}).status_code == 201
    second = post(api, url, {"choices": marks(open_vote, 2)})
    assert second.status_code in (400, 409)
    assert in_box(open_vote) == 1
    check_in_quorum(open_vote, haiyan_staff)
    services.vote_close(actor=haiyan_staff, vote_id=open_vote.pk)
    assert Ballot.objects.filter(vote=open_vote).count() == 1


def test_a_ballot_after_closing_is_refused(api, deputy_user, haiyan_staff, open_vote):
    check_in_quorum(open_vote, haiyan_staff)
    services.vote_close(actor=haiyan_staff, vote_id=open_vote.pk)
    api.force_authenticate(deputy_user)
    response = post(api, f"/api/v1/votes/{open_vote.pk}/ballot/", {"choices": marks(open_vote, 1)})
    assert response.status_code in (400, 409)
    assert Ballot.objects.filter(vote=open_vote).count() == 0


def test_staff_run_a_vote_and_the_public_reads_the_published_result(
    api, haiyan_staff, voters, vote, town_deputy
):
    api.force_authenticate(haiyan_staff)
    assert post(api, f"/api/v1/votes/{vote.pk}/open/", {}).json()["status"] == "open"
    turnout = post(api, f"/api/v1/votes/{vote.pk}/check-in/", {"deputy": town_deputy.pk}).json()
    assert (turnout["expected"], turnout["present"]) == (5, 1)
    assert (turnout["quorum"], turnout["required"], turnout["quorum_met"]) == ("2/3", 4, False)
    for voter in voters[:3]:
        api.force_authenticate(voter)
        assert post(api, f"/api/v1/votes/{vote.pk}/ballot/", {"choices": marks(vote, 1)}).status_code == 201
    api.force_authenticate(None)
    assert api.get(f"/api/v1/votes/{vote.pk}/result/").status_code == 404
    api.force_authenticate(haiyan_staff)
    refused = post(api, f"/api/v1/votes/{vote.pk}/close/", {})
    assert refused.status_code == 409 and refused.json()["code"] == "no_quorum"
    assert "全体代表5名，实到3名" in refused.json()["detail"] and "至少4名" in refused.json()["detail"]
    assert api.get(f"/api/v1/votes/{vote.pk}/").json()["status"] == "open"
    turnout = post(api, f"/api/v1/votes/{vote.pk}/check-in/", {"deputy": voters[3].deputy_id}).json()
    assert (turnout["present"], turnout["quorum_met"]) == (4, True)
    closed = post(api, f"/api/v1/votes/{vote.pk}/close/", {}).json()
    assert (closed["status"], closed["quorum"], closed["tie_rule"], closed["shortfall"]) == (
        "closed",
        "2/3",
        "further_ballot",
        1,
    )
    assert api.get(f"/api/v1/votes/{vote.pk}/result/").status_code == 200
    api.force_authenticate(voters[0])
    assert api.get(f"/api/v1/votes/{vote.pk}/result/").status_code == 403
    api.force_authenticate(haiyan_staff)
    decision = post(api, f"/api/v1/votes/{vote.pk}/runoff-decision/", {"hold": False, "note": "一席空缺"})
    assert decision.status_code == 200
    assert post(api, f"/api/v1/votes/{vote.pk}/publish/", {}).json()["status"] == "published"
    api.force_authenticate(None)
    sheet = api.get(f"/api/v1/votes/{vote.pk}/result/").json()
    assert (sheet["electorate"], sheet["present"], sheet["ballots"], sheet["threshold"]) == (5, 4, 3, 3)
    assert (sheet["quorum"], sheet["quorum_required"], sheet["shortfall"]) == ("2/3", 4, 1)
    assert (sheet["tied"], sheet["further_ballot_required"], sheet["decisions"]) == ([], False, [])
    rows = {r["number"]: r for r in sheet["results"]}
    assert rows[1]["votes_for"] == 3
    assert rows[1]["outcome"] == "chosen"
    assert rows[2]["votes_against"] == 3
    assert "deputy" not in str(sheet)


def test_paper_entries_by_two_staff_make_a_ballot(api, haiyan_staff, second_staff, town_deputy, open_vote):
    api.force_authenticate(haiyan_staff)
    post(api, f"/api/v1/votes/{open_vote.pk}/paper-collected/", {"deputy": town_deputy.pk})
    entry = {"serial": "007", "choices": marks(open_vote, 2)}
    assert post(api, f"/api/v1/votes/{open_vote.pk}/paper-entry/", entry).json()["matched"] is False
    api.force_authenticate(second_staff)
    assert post(api, f"/api/v1/votes/{open_vote.pk}/paper-entry/", entry).json()["matched"] is True
    assert len(peek_box(open_vote)) == 1


# --- proposals and candidates ------------------------------------------------------------------------------


def test_anyone_proposes_while_the_window_is_open(api, vote, haiyan_staff):
    data = {"solicitation": vote.solicitation_id, "title": "修路", "description": "村道泥泞"}
    response = post(api, "/api/v1/proposals/", data)
    assert response.status_code == 201
    assert response.json()["source"] == "public"
    assert post(api, "/api/v1/proposals/", {**data, "website": "spam"}).status_code == 400
    assert Proposal.objects.count() == 1
    services.solicitation_close(actor=haiyan_staff, solicitation_id=vote.solicitation_id)
    assert post(api, "/api/v1/proposals/", data).status_code == 409
    assert Proposal.objects.count() == 1


def test_staff_screen_a_proposal_and_add_a_candidate(api, haiyan_staff, kaiping_staff, vote):
    proposal = Proposal.objects.create(
        solicitation=vote.solicitation, source=Proposal.Source.PUBLIC, title="诉讼", description="一桩官司"
    )
    api.force_authenticate(kaiping_staff)
    assert post(api, f"/api/v1/proposals/{proposal.pk}/screen/", {"accept": False}).status_code == 404
    api.force_authenticate(haiyan_staff)
    response = post(api, f"/api/v1/proposals/{proposal.pk}/screen/", {"accept": False, "reason": "petition"})
    assert response.json()["status"] == "rejected"
    lead_unit = vote.candidates.first().lead_unit_id
    data = {
        "solicitation": vote.solicitation_id,
        "title": "路灯",
        "description": "增设路灯",
        "lead_unit": lead_unit,
        "budget": "30",
    }
    assert post(api, "/api/v1/candidates/", data).status_code == 201
    assert post(api, "/api/v1/candidates/", {**data, "budget": "-1"}).status_code == 400
    api.force_authenticate(kaiping_staff)
    assert post(api, "/api/v1/candidates/", data).status_code == 404


def test_the_vote_list_stays_within_a_query_budget(api, haiyan_staff, vote, django_assert_max_num_queries):
    api.force_authenticate(haiyan_staff)
    with django_assert_max_num_queries(8):
        assert api.get("/api/v1/votes/").status_code == 200


def test_a_further_ballot_decided_through_the_api_is_returned(api, haiyan_staff, voters, open_vote):
    for voter in voters[:3]:
        services.ballot_cast(
            actor=voter, vote_id=open_vote.pk, choices={int(k): v for k, v in marks(open_vote, 1).items()}
        )
    check_in_quorum(open_vote, haiyan_staff)
    services.vote_close(actor=haiyan_staff, vote_id=open_vote.pk)
    api.force_authenticate(haiyan_staff)
    sheet = api.get(f"/api/v1/votes/{open_vote.pk}/result/").json()
    assert (sheet["shortfall"], sheet["decisions"]) == (1, ["hold", "leave_empty"])
    response = post(api, f"/api/v1/votes/{open_vote.pk}/runoff-decision/", {"hold": True, "note": "再次投票"})
    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["parent"]) == ("runoff", open_vote.pk)
    again = post(api, f"/api/v1/votes/{open_vote.pk}/runoff-decision/", {"hold": False, "note": "x"})
    assert again.status_code == 409
