"""Pages of the votes: who may open which page, the whole flow from a public proposal to a published result,
refused ballots that change nothing, and public pages that never tell who voted how."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from minsheng.accounts.models import User
from minsheng.accounts.tests.factories import UserFactory
from minsheng.common.testing import status_for
from minsheng.units.tests.factories import UnitFactory
from minsheng.voting import services, views
from minsheng.voting.models import Ballot, Candidate, Elector, Proposal, Solicitation, VoteSession
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
    """Form data: 赞成 for the candidates numbered in `fors`, 反对 for the others."""
    data = {}
    for candidate in vote.candidates.all():
        data[f"c{candidate.pk}"] = "for" if candidate.number in fors else "against"
    return data


# --- the permission matrix ---------------------------------------------------------------------------------

STAFF_ONLY = {
    "anonymous": 302,
    "admin_user": 200,
    "haiyan_staff": 200,
    "kaiping_staff": 404,
    "deputy_user": 403,
    "kaiping_deputy_user": 403,
    "station_staff": 403,
    "civil_affairs_handler": 403,
    "donor": 403,
}
STAFF_PAGES = ["solicitation", "candidate_add", "vote_create", "vote", "checkin", "paper", "close"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", STAFF_PAGES)
def test_staff_pages_open_only_to_staff_covering_the_congress(client, who, vote, role, page):
    pk = vote.solicitation_id if page in ("solicitation", "candidate_add", "vote_create") else vote.pk
    assert status_for(client, who(role), "get", reverse(f"voting:{page}", args=[pk])) == STAFF_ONLY[role]


@pytest.mark.parametrize("role", ROLES)
def test_the_vote_list_is_for_staff_and_deputies(client, who, vote, role):
    expected = {**STAFF_ONLY, "kaiping_staff": 200, "deputy_user": 200, "kaiping_deputy_user": 200}
    assert status_for(client, who(role), "get", reverse("voting:index")) == expected[role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "name",
    ["open", "publish", "solicitation_open", "solicitation_close", "checkin_deputy", "paper_collected"],
)
def test_staff_actions_refuse_everyone_else_and_change_nothing(client, who, vote, town_deputy, role, name):
    if name.startswith("solicitation"):
        args = [vote.solicitation_id]
    elif name in ("checkin_deputy", "paper_collected"):
        args = [vote.pk, town_deputy.pk]
    else:
        args = [vote.pk]
    if role in ("admin_user", "haiyan_staff"):
        return
    status = status_for(client, who(role), "post", reverse(f"voting:{name}", args=args))
    assert status == STAFF_ONLY[role]
    vote.refresh_from_db()
    assert vote.status == VoteSession.Status.DRAFT
    assert Solicitation.objects.get(pk=vote.solicitation_id).status == Solicitation.Status.OPEN


BALLOT = {
    "anonymous": 302,
    "admin_user": 403,
    "haiyan_staff": 403,
    "kaiping_staff": 403,
    "deputy_user": 200,
    "kaiping_deputy_user": 404,
    "station_staff": 403,
    "civil_affairs_handler": 403,
    "donor": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_only_a_deputy_of_the_electorate_sees_the_ballot(client, who, open_vote, role):
    assert status_for(client, who(role), "get", reverse("voting:ballot", args=[open_vote.pk])) == BALLOT[role]


@pytest.mark.parametrize("role", ROLES)
def test_public_pages_open_to_everyone(client, who, vote, role):
    user = who(role)
    assert status_for(client, user, "get", reverse("voting:propose", args=[vote.solicitation_id])) == 200
    assert status_for(client, user, "get", reverse("voting:receipt")) == 200
    assert status_for(client, user, "get", reverse("voting:public_results")) == 200


@pytest.mark.parametrize("role", ROLES)
def test_an_unpublished_result_is_not_public(client, who, open_vote, role):
    assert status_for(client, who(role), "get", reverse("voting:public_result", args=[open_vote.pk])) == 404


def test_the_staff_result_sheet_waits_for_the_close(client, haiyan_staff, open_vote):
    client.force_login(haiyan_staff)
    response = client.get(reverse("voting:result", args=[open_vote.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("voting:vote", args=[open_vote.pk])


def test_the_vote_list_stays_within_a_query_budget(client, haiyan_staff, vote, django_assert_max_num_queries):
    client.force_login(haiyan_staff)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("voting:index")).status_code == 200


# --- the whole flow ----------------------------------------------------------------------------------------


def test_from_a_public_proposal_to_a_published_result(
    client, monkeypatch, haiyan_staff, haiyan_congress, haiyan_session, voters
):
    monkeypatch.setattr(views, "MIN_FILL_SECONDS", 0)
    unit = UnitFactory(name="海宴镇农业农村办", congress=haiyan_congress, place=haiyan_congress.place)
    client.force_login(haiyan_staff)
    response = client.post(
        reverse("voting:solicitation_create"),
        {
            "congress": haiyan_congress.pk,
            "year": 2027,
            "title": "海宴镇2027年民生实事项目征集",
            "opens_on": "2026-10-01",
            "closes_on": "2026-11-30",
        },
    )
    solicitation = Solicitation.objects.get(congress=haiyan_congress, year=2027)
    assert response["Location"] == reverse("voting:solicitation", args=[solicitation.pk])
    client.post(reverse("voting:solicitation_open", args=[solicitation.pk]))

    client.logout()
    form = client.get(reverse("voting:propose", args=[solicitation.pk]))
    stamp = form.context["form"]["stamp"].value()
    response = client.post(
        reverse("voting:propose", args=[solicitation.pk]),
        {"title": "五丰村道路硬化", "description": "村道泥泞，雨天难行。", "stamp": stamp, "website": ""},
    )
    assert response.status_code == 200
    proposal = Proposal.objects.get(solicitation=solicitation)
    assert proposal.source == Proposal.Source.PUBLIC

    client.force_login(haiyan_staff)
    client.post(reverse("voting:proposal_screen", args=[proposal.pk]), {"accept": "1"})
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED
    for i, title in enumerate(["五丰村道路硬化", "圩镇路灯", "卫生站改造"]):
        response = client.post(
            reverse("voting:candidate_add", args=[solicitation.pk]),
            {
                "title": title,
                "description": "说明",
                "lead_unit": unit.pk,
                "budget": "50.5",
                "proposal": proposal.pk if i == 0 else "",
            },
        )
        assert response.status_code == 302, response.content.decode()
    candidates = list(Candidate.objects.filter(solicitation=solicitation).order_by("number"))
    assert [c.number for c in candidates] == [1, 2, 3]

    response = client.post(
        reverse("voting:vote_create", args=[solicitation.pk]),
        {
            "title": "海宴镇2027年民生实事项目票决",
            "session": haiyan_session.pk,
            "seats": 2,
            "kind": "selection",
            "candidates": [c.pk for c in candidates],
        },
    )
    vote = VoteSession.objects.get(solicitation=solicitation)
    assert response["Location"] == reverse("voting:vote", args=[vote.pk])
    client.post(reverse("voting:open", args=[vote.pk]))
    vote.refresh_from_db()
    assert vote.status == VoteSession.Status.OPEN
    assert vote.electorate == 5

    client.post(reverse("voting:checkin_deputy", args=[vote.pk, voters[0].deputy_id]))
    count = client.get(reverse("voting:checkin_count", args=[vote.pk]))
    assert count.context["counts"]["present"] == 1
    assert 'hx-trigger="every 5s"' in count.content.decode()

    receipts = []
    for voter, fors in zip(voters[:3], [(1, 2), (1, 2), (1,)], strict=True):
        client.force_login(voter)
        response = client.post(reverse("voting:ballot", args=[vote.pk]), marks(vote, *fors))
        assert response.status_code == 200
        receipts.append(response.context["receipt"])
        again = client.get(reverse("voting:ballot", args=[vote.pk]))
        assert "has-voted" in again.content.decode()
        assert response.context["receipt"] not in again.content.decode()

    client.force_login(haiyan_staff)
    assert client.get(reverse("voting:close", args=[vote.pk])).status_code == 200
    client.post(reverse("voting:close", args=[vote.pk]))  # not confirmed: nothing happens
    vote.refresh_from_db()
    assert vote.status == VoteSession.Status.OPEN
    # 3 of 5 present: fewer than two thirds, the page says so and closing is refused with the counts
    page = client.get(reverse("voting:close", args=[vote.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert 'data-met="no"' in page.content.decode() and 'data-testid="no-quorum"' in page.content.decode()
    response = client.post(
        reverse("voting:close", args=[vote.pk]), {"confirm": "yes"}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )
    assert "3 of the 5 deputies are present, and at least 4" in response.content.decode()
    vote.refresh_from_db()
    assert vote.status == VoteSession.Status.OPEN
    client.post(reverse("voting:checkin_deputy", args=[vote.pk, voters[3].deputy_id]))
    assert 'data-met="yes"' in client.get(reverse("voting:close", args=[vote.pk])).content.decode()
    response = client.post(reverse("voting:close", args=[vote.pk]), {"confirm": "yes"})
    assert response["Location"] == reverse("voting:result", args=[vote.pk])
    sheet = client.get(reverse("voting:result", args=[vote.pk]))
    assert sheet.context["threshold"] == 3
    client.post(reverse("voting:publish", args=[vote.pk]))
    vote.refresh_from_db()
    assert vote.status == VoteSession.Status.PUBLISHED

    client.logout()
    page = client.get(reverse("voting:public_result", args=[vote.pk]))
    assert page.status_code == 200
    rows = {r.candidate.number: r for r in page.context["results"]}
    assert (rows[1].votes_for, rows[2].votes_for, rows[3].votes_for) == (3, 2, 0)
    assert rows[1].outcome == "chosen"
    assert rows[2].outcome != "chosen"  # 2 赞成 of 5 deputies is not more than half
    html = page.content.decode()
    assert 'data-outcome="chosen"' in html
    for voter in voters:
        assert voter.deputy.name not in html
    check = client.post(reverse("voting:receipt"), {"receipt": receipts[0]})
    assert check.context["status"] == "counted"
    assert 'data-testid="counted"' in check.content.decode()
    check = client.post(reverse("voting:receipt"), {"receipt": "NOPE"})
    assert check.context["status"] == "unknown"


# --- refused input ----------------------------------------------------------------------------------------


def test_more_than_n_for_is_refused_with_its_message_and_nothing_saved(client, deputy_user, open_vote):
    client.force_login(deputy_user)
    response = client.post(
        reverse("voting:ballot", args=[open_vote.pk]), marks(open_vote, 1, 2, 3), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "at most 2" in response.content.decode()
    assert in_box(open_vote) == 0
    assert not Elector.objects.get(vote=open_vote, deputy_id=deputy_user.deputy_id).has_voted


def test_a_ballot_missing_a_mark_is_refused(client, deputy_user, open_vote):
    client.force_login(deputy_user)
    data = marks(open_vote, 1)
    data.popitem()
    response = client.post(reverse("voting:ballot", args=[open_vote.pk]), data)
    assert response.status_code == 400
    assert in_box(open_vote) == 0


def test_a_second_ballot_is_refused_and_the_first_stays(client, deputy_user, open_vote):
    client.force_login(deputy_user)
    client.post(reverse("voting:ballot", args=[open_vote.pk]), marks(open_vote, 1))
    response = client.post(
        reverse("voting:ballot", args=[open_vote.pk]), marks(open_vote, 2, 3), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 409
    assert "already voted" in response.content.decode()
    assert in_box(open_vote) == 1


def test_a_ballot_after_closing_is_refused(client, deputy_user, haiyan_staff, open_vote):
    check_in_quorum(open_vote, haiyan_staff)
    services.vote_close(actor=haiyan_staff, vote_id=open_vote.pk)
    client.force_login(deputy_user)
    response = client.post(reverse("voting:ballot", args=[open_vote.pk]), marks(open_vote, 1))
    assert response.status_code == 409
    assert "not-open" in response.content.decode()
    assert Ballot.objects.filter(vote=open_vote).count() == 0


def test_the_ballot_page_counts_for_marks_with_a_static_script(client, deputy_user, open_vote):
    client.force_login(deputy_user)
    html = client.get(reverse("voting:ballot", args=[open_vote.pk])).content.decode()
    assert 'data-seats="2"' in html
    assert "voting/ballot.js" in html
    assert "<script>" not in html


def test_paper_entries_count_only_when_two_staff_agree(
    client, haiyan_staff, second_staff, town_deputy, open_vote
):
    client.force_login(haiyan_staff)
    client.post(reverse("voting:paper_collected", args=[open_vote.pk, town_deputy.pk]))
    data = {"serial": "001", **marks(open_vote, 1)}
    # The pages answer in the request's language (zh-hans by default): ask for English to read the messages.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        first = client.post(reverse("voting:paper", args=[open_vote.pk]), data, follow=True)
        assert "second staff member" in first.content.decode()
        client.force_login(second_staff)
        wrong = client.post(
            reverse("voting:paper", args=[open_vote.pk]), {"serial": "001", **marks(open_vote, 2)}
        )
        assert wrong.status_code in (400, 409)
        assert in_box(open_vote) == 0
        right = client.post(reverse("voting:paper", args=[open_vote.pk]), data, follow=True)
        assert "matched" in right.content.decode()
    assert len(peek_box(open_vote)) == 1


def test_a_rejection_needs_a_reason(client, haiyan_staff, vote):
    proposal = Proposal.objects.create(
        solicitation=vote.solicitation, source=Proposal.Source.PUBLIC, title="诉讼", description="一桩官司"
    )
    client.force_login(haiyan_staff)
    client.post(reverse("voting:proposal_screen", args=[proposal.pk]), {"accept": "0"})
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    client.post(reverse("voting:proposal_screen", args=[proposal.pk]), {"accept": "0", "reason": "petition"})
    proposal.refresh_from_db()
    assert (proposal.status, proposal.reject_reason) == (Proposal.Status.REJECTED, "petition")


# --- the public form's anti-abuse check ---------------------------------------------------------------------


def test_a_filled_honeypot_or_a_too_fast_form_saves_nothing(client, monkeypatch, vote):
    url = reverse("voting:propose", args=[vote.solicitation_id])
    stamp = client.get(url).context["form"]["stamp"].value()
    data = {"title": "修路", "description": "修路", "stamp": stamp}
    assert client.post(url, data).status_code == 400  # sent at once: faster than a person
    monkeypatch.setattr(views, "MIN_FILL_SECONDS", 0)
    assert client.post(url, {**data, "website": "http://spam.example"}).status_code == 400
    assert client.post(url, {**data, "stamp": "forged:stamp"}).status_code == 400
    assert not Proposal.objects.exists()
    assert client.post(url, data).status_code == 200
    assert Proposal.objects.count() == 1


def test_a_closed_solicitation_takes_no_proposal(client, monkeypatch, vote, haiyan_staff):
    monkeypatch.setattr(views, "MIN_FILL_SECONDS", 0)
    services.solicitation_close(actor=haiyan_staff, solicitation_id=vote.solicitation_id)
    url = reverse("voting:propose", args=[vote.solicitation_id])
    response = client.post(url, {"title": "修路", "description": "修路", "stamp": views._stamp()})
    assert response.status_code == 409
    assert not Proposal.objects.exists()


def test_the_date_check_of_a_new_solicitation(client, haiyan_staff, haiyan_congress):
    client.force_login(haiyan_staff)
    response = client.post(
        reverse("voting:solicitation_create"),
        {
            "congress": haiyan_congress.pk,
            "year": 2028,
            "title": "征集",
            "opens_on": dt.date(2027, 11, 1).isoformat(),
            "closes_on": dt.date(2027, 10, 1).isoformat(),
        },
    )
    assert response.status_code == 200
    assert not Solicitation.objects.filter(year=2028).exists()


# --- the result sheet: PDF, Excel, the presidium's decision -------------------------------------------------


@pytest.fixture
def closed_vote(client, open_vote, voters, haiyan_staff):
    for voter in voters[:3]:
        services.ballot_cast(actor=voter, vote_id=open_vote.pk, choices=_choices(open_vote, 1))
    check_in_quorum(open_vote, haiyan_staff)
    services.vote_close(actor=haiyan_staff, vote_id=open_vote.pk)
    open_vote.refresh_from_db()
    return open_vote


def _choices(vote, *fors):
    return {c.pk: "for" if c.number in fors else "abstain" for c in vote.candidates.all()}


@pytest.mark.parametrize("role", ROLES)
def test_the_result_sheet_files_follow_the_result_page(client, who, closed_vote, role):
    expected = 200 if role in ("admin_user", "haiyan_staff") else 404
    for name in ("result_xlsx", "result"):
        assert status_for(client, who(role), "get", reverse(f"voting:{name}", args=[closed_vote.pk])) == (
            expected if name == "result_xlsx" else STAFF_ONLY[role]
        )


def test_the_result_sheet_prints_as_a_pdf_and_exports_to_excel(client, haiyan_staff, closed_vote):
    client.force_login(haiyan_staff)
    pdf = client.get(reverse("voting:result_pdf", args=[closed_vote.pk]))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("voting:result_xlsx", args=[closed_vote.pk]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    services.vote_publish(actor=haiyan_staff, vote_id=closed_vote.pk)
    client.logout()
    assert client.get(reverse("voting:result_xlsx", args=[closed_vote.pk])).status_code == 200


def test_the_result_announcement_has_the_counts_the_signature_blocks_and_the_date(
    client, haiyan_staff, closed_vote
):
    from urllib.parse import unquote

    from django.utils import timezone

    from minsheng.common.testing import pdf_words

    client.force_login(haiyan_staff)
    response = client.get(reverse("voting:result_pdf", args=[closed_vote.pk]))
    text = pdf_words(response.content)
    assert "票决结果公告" in text and closed_vote.title.replace(" ", "") in text
    assert text.count("监票人（签名）") == 2 and text.count("计票人（签名）") == 2
    assert "主席团" in text and "（印章）" in text
    day = timezone.localdate(closed_vote.closed_at)
    assert f"{day.year}年{day.month}月{day.day}日" in text
    assert "应到" in text and "实到" in text
    name = unquote(response["Content-Disposition"].split("filename*=UTF-8''", 1)[1])
    assert name.startswith("票决结果-") and name.endswith(".pdf") and "vote-" not in name


@pytest.mark.parametrize("role", ROLES)
def test_the_result_announcement_follows_the_result_sheet_files(client, who, closed_vote, role):
    expected = 200 if role in ("admin_user", "haiyan_staff") else 404
    assert (
        status_for(client, who(role), "get", reverse("voting:result_pdf", args=[closed_vote.pk])) == expected
    )


def test_the_presidium_decides_on_empty_seats_from_the_result_sheet(client, haiyan_staff, closed_vote):
    client.force_login(haiyan_staff)
    sheet = client.get(reverse("voting:result", args=[closed_vote.pk]))
    assert sheet.context["needs_runoff"]
    assert "runoff-needed" in sheet.content.decode()
    client.post(reverse("voting:runoff", args=[closed_vote.pk]), {"hold": "0", "note": "一席空缺，明年再议"})
    closed_vote.refresh_from_db()
    assert "一席空缺" in closed_vote.presidium_decision


def test_a_further_ballot_decided_by_the_presidium_opens_in_preparation(client, haiyan_staff, closed_vote):
    client.force_login(haiyan_staff)
    response = client.post(reverse("voting:runoff", args=[closed_vote.pk]), {"hold": "1", "note": "再次投票"})
    runoff = VoteSession.objects.get(parent=closed_vote)
    assert response["Location"] == reverse("voting:vote", args=[runoff.pk])
    assert (runoff.status, runoff.kind, runoff.seats) == (
        VoteSession.Status.DRAFT,
        VoteSession.Kind.RUNOFF,
        1,
    )
    assert runoff.candidates.count() == 2  # the two below the line compete for the empty seat


def test_the_result_sheet_shows_the_shortfall_on_the_page_the_pdf_and_the_excel(
    client, haiyan_staff, closed_vote
):
    from io import BytesIO

    from django.template.loader import render_to_string
    from openpyxl import load_workbook

    client.force_login(haiyan_staff)
    sheet = client.get(reverse("voting:result", args=[closed_vote.pk]))
    body = sheet.content.decode()
    assert closed_vote.shortfall == 1  # 2 seats, only candidate 1 has more than half of all 5 deputies
    assert 'data-testid="shortfall">1<' in body and 'data-testid="shortfall-note"' in body
    assert 'data-testid="quorum">4 ' in body
    assert 'data-required="yes"' not in body  # a shortfall needs no further ballot
    assert [value for value, _label in sheet.context["runoff_form"].fields["hold"].choices] == ["1", "0"]
    with translation.override("zh-hans"):
        html = render_to_string("voting/result_pdf.html", views.result_context(closed_vote))
    assert "空缺名额（可在以后的会议上补充票决）: 1" in html and "法定出席人数: 4 (2/3)" in html
    xlsx = client.get(reverse("voting:result_xlsx", args=[closed_vote.pk]))
    rows = [tuple(r) for r in load_workbook(BytesIO(xlsx.content)).active.iter_rows(values_only=True)]
    summary = {r[0]: r[1] for r in rows if r and r[0] and r[1] is not None and len(r) >= 2}
    assert summary["空缺名额（可在以后的会议上补充票决）"] == 1
    assert summary["法定出席人数"] == "4 (2/3)"
    assert summary["通过所需赞成票数"] == 3


@pytest.fixture
def tied_vote(open_vote, voters, haiyan_staff):
    """2 seats: candidate 1 chosen (4 赞成), candidates 2 and 3 tied above the line (3 each)."""
    ids = {c.number: c.pk for c in open_vote.candidates.all()}
    for voter, fors in zip(voters, [(1, 2), (1, 3), (1, 2), (1, 3), (2, 3)], strict=True):
        choices = {pk: "for" if n in fors else "against" for n, pk in ids.items()}
        services.ballot_cast(actor=voter, vote_id=open_vote.pk, choices=choices)
    services.vote_close(actor=haiyan_staff, vote_id=open_vote.pk)
    open_vote.refresh_from_db()
    return open_vote


def test_a_tie_for_the_last_seat_offers_only_the_further_ballot_on_the_result_sheet(
    client, haiyan_staff, tied_vote
):
    client.force_login(haiyan_staff)
    sheet = client.get(reverse("voting:result", args=[tied_vote.pk]))
    body = sheet.content.decode()
    assert 'data-required="yes"' in body
    assert sheet.context["runoff_required"] and sheet.context["shortfall"] == 0
    assert [value for value, _label in sheet.context["runoff_form"].fields["hold"].choices] == ["1"]
    response = client.post(
        reverse("voting:runoff", args=[tied_vote.pk]), {"hold": "0", "note": "空缺"}, follow=True
    )
    assert "按规则应当在票数相等的候选项目中再次投票" in response.content.decode()
    tied_vote.refresh_from_db()
    assert tied_vote.presidium_decision == "" and not tied_vote.runoffs.exists()
    response = client.post(reverse("voting:runoff", args=[tied_vote.pk]), {"hold": "1", "note": "再次投票"})
    runoff = VoteSession.objects.get(parent=tied_vote)
    assert runoff.candidates.count() == 2 and runoff.seats == 1


def test_the_vote_page_states_the_threshold_the_quorum_and_the_tie_rule(client, haiyan_staff, open_vote):
    client.force_login(haiyan_staff)
    body = client.get(reverse("voting:vote", args=[open_vote.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "More than half of all the congress" in body and "(3)" in body
    assert "2/3 of all deputies present" in body
    assert "A further ballot among the tied candidates" in body
    assert 'data-met="no"' in body  # nobody present yet


def test_a_satisfaction_ballot_rates_each_project(
    client, haiyan_congress, haiyan_session, voters, haiyan_staff
):
    from minsheng.voting.models import BallotChoice
    from minsheng.voting.tests.factories import make_vote

    vote = make_vote(
        congress=haiyan_congress,
        session=haiyan_session,
        seats=2,
        candidates=2,
        kind="satisfaction",
        year=2027,
    )
    services.vote_open(actor=haiyan_staff, vote_id=vote.pk)
    client.force_login(voters[0])
    url = reverse("voting:ballot", args=[vote.pk])
    html = client.get(url).content.decode()
    assert 'value="satisfied"' in html
    assert 'value="for"' not in html
    data = {f"c{c.pk}": "mostly" for c in vote.candidates.all()}
    response = client.post(url, data)
    assert response.status_code == 200
    assert [set(b.marks.values()) for b in peek_box(vote)] == [{"mostly"}]
    check_in_quorum(vote, haiyan_staff)
    services.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    assert BallotChoice.objects.filter(ballot__vote=vote, choice="mostly").count() == 2
