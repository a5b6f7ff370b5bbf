"""One rule per action (actions.py): for every role × every state × every action of a vote, a solicitation and
its proposals, the page's offer, the API's `available_actions` and the service's acceptance agree — and, for
an action done to one of several things (a deputy, a proposal, the presidium's decision), they agree on which.

The actions come from the tables of actions.py (`VOTE_ACTIONS`, `SOLICITATION_ACTIONS`, `PROPOSAL_ACTIONS`):
an action added there without a way to call its service here fails `test_every_action_is_tried`."""

import pytest

from minsheng.accounts.models import User
from minsheng.accounts.tests.factories import UserFactory
from minsheng.voting import actions, services
from minsheng.voting.models import Proposal, Solicitation
from minsheng.voting.tests.factories import check_in_quorum

from .agreement import accepts, actor, api_actions, page_offers

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "admin_user",
    "haiyan_staff",
    "kaiping_staff",
    "deputy_user",
    "kaiping_deputy_user",
    "civil_affairs_handler",
]


@pytest.fixture
def kaiping_deputy_user(kaiping_deputy):
    return UserFactory(username="deputy_ou", role=User.Role.DEPUTY, deputy=kaiping_deputy)


@pytest.fixture
def who(request):
    return lambda role: None if role == "anonymous" else request.getfixturevalue(role)


def _cast(vote, voter, *fors):
    """voter's ballot: 赞成 for the candidates numbered in `fors`, 反对 for the others."""
    marks = {c.pk: "for" if c.number in fors else "against" for c in vote.candidates.all()}
    services.ballot_cast(actor=voter, vote_id=vote.pk, choices=marks)


# --- the states of a vote -------------------------------------------------------------------------------


def _open(vote, staff, voters):
    services.vote_open(actor=staff, vote_id=vote.pk)


def _open_with_quorum(vote, staff, voters):
    _open(vote, staff, voters)
    check_in_quorum(vote, staff)


def _open_and_voted(vote, staff, voters):
    """陈海 (deputy_user) has voted online, another deputy's paper ballot is collected; the quorum is there."""
    _open(vote, staff, voters)
    _cast(vote, voters[0], 1, 2)
    services.paper_ballot_collected(actor=staff, vote_id=vote.pk, deputy_id=voters[1].deputy_id)
    check_in_quorum(vote, staff)


def _everyone_voted(vote, staff, voters):
    _open(vote, staff, voters)
    for voter in voters:
        _cast(vote, voter, 1, 2)


def _closed(vote, staff, voters):
    _everyone_voted(vote, staff, voters)
    services.vote_close(actor=staff, vote_id=vote.pk)


def _closed_with_a_tie(vote, staff, voters):
    """Candidate 1 chosen (4 赞成), 2 and 3 tied for the last seat (3 each): a further ballot is required."""
    _open(vote, staff, voters)
    for voter, fors in zip(voters, [(1, 2), (1, 2), (1, 3), (2, 3), (1, 3)], strict=True):
        _cast(vote, voter, *fors)
    services.vote_close(actor=staff, vote_id=vote.pk)


def _closed_short(vote, staff, voters):
    """Only candidate 1 passes the threshold: a seat is left, the presidium may hold a further ballot or not."""
    _open(vote, staff, voters)
    for voter, fors in zip(voters, [(1,), (1,), (1, 2), (3,), (1,)], strict=True):
        _cast(vote, voter, *fors)
    services.vote_close(actor=staff, vote_id=vote.pk)


def _decided(vote, staff, voters):
    _closed_short(vote, staff, voters)
    services.runoff_decide(actor=staff, vote_id=vote.pk, hold=False, note="空缺名额留待下次会议补充票决")


def _published(vote, staff, voters):
    _closed(vote, staff, voters)
    services.vote_publish(actor=staff, vote_id=vote.pk)


VOTE_STATES = {
    "draft": lambda vote, staff, voters: None,
    "open": _open,
    "open_with_quorum": _open_with_quorum,
    "open_and_voted": _open_and_voted,
    "everyone_voted": _everyone_voted,
    "closed": _closed,
    "closed_with_a_tie": _closed_with_a_tie,
    "closed_short": _closed_short,
    "decided": _decided,
    "published": _published,
}


# --- how each action's service is called: (service call, the things it is done to or None) --------------


def _every_against(vote):
    return {c.pk: "against" for c in vote.candidates.all()}


VOTE_CALLS = {
    "open": lambda user, vote, _: services.vote_open(actor=user, vote_id=vote.pk),
    "check_in": lambda user, vote, deputy: services.elector_check_in(
        actor=user, vote_id=vote.pk, deputy_id=deputy
    ),
    "paper_collected": lambda user, vote, deputy: services.paper_ballot_collected(
        actor=user, vote_id=vote.pk, deputy_id=deputy
    ),
    "paper_entry": lambda user, vote, _: services.paper_entry_add(
        actor=user, vote_id=vote.pk, serial="A-001", choices=_every_against(vote)
    ),
    "cast": lambda user, vote, _: services.ballot_cast(
        actor=user, vote_id=vote.pk, choices=_every_against(vote)
    ),
    "close": lambda user, vote, _: services.vote_close(actor=user, vote_id=vote.pk),
    "publish": lambda user, vote, _: services.vote_publish(actor=user, vote_id=vote.pk),
    "runoff_decide": lambda user, vote, hold: services.runoff_decide(
        actor=user, vote_id=vote.pk, hold=hold, note="主席团决定"
    ),
}


# An action done to one of several things: the things to try, and the key of its choices.
def _some_electors(vote, voters):
    """陈海 (voted online where anyone has), the second (a paper ballot collected), the third (checked in for
    the quorum) and the last (absent)."""
    return [v.deputy_id for v in (voters[0], voters[1], voters[2], voters[-1])]


VOTE_TARGETS = {
    "check_in": ("deputies", _some_electors),
    "paper_collected": ("deputies", _some_electors),
    "runoff_decide": ("hold", lambda vote, voters: [True, False]),
}


def test_every_action_is_tried():
    assert set(VOTE_CALLS) == set(actions.VOTE_ACTIONS)
    assert set(SOLICITATION_CALLS) == set(actions.SOLICITATION_ACTIONS)
    assert set(PROPOSAL_CALLS) == set(actions.PROPOSAL_ACTIONS)


def _vote_pages(vote):
    """The vote's page (open, paper entry, close), the check-in (a button per deputy), the result sheet
    (publish, the presidium's decision) and the deputy's ballot (cast)."""
    return [
        f"/votes/{vote.pk}/",
        f"/votes/{vote.pk}/check-in/",
        f"/votes/{vote.pk}/result/",
        f"/votes/{vote.pk}/ballot/",
    ]


@pytest.mark.parametrize("state", list(VOTE_STATES))
@pytest.mark.parametrize("role", ROLES)
def test_a_vote_offers_on_the_page_in_the_api_and_in_the_service_alike(
    client, who, vote, voters, haiyan_staff, role, state
):
    VOTE_STATES[state](vote, haiyan_staff, voters)
    vote.refresh_from_db()
    user = who(role)
    page = page_offers(client, user, _vote_pages(vote))
    api = api_actions(user, f"/api/v1/votes/{vote.pk}/")
    for name, call in VOTE_CALLS.items():
        where = f"{role} · {state} · {name}"
        if name in VOTE_TARGETS:
            key, targets = VOTE_TARGETS[name]
            for target in targets(vote, voters):
                done = accepts(lambda: call(actor(user), vote, target))  # noqa: B023
                if key == "deputies":  # one button per deputy on the check-in page
                    assert (target in page.get(name, set())) == done, f"{where} {target}: page"
                else:
                    assert (name in page) == (name in api), f"{where}: page"
                assert (name in api and target in api[name][key]) == done, f"{where} {target}: API"
        else:
            done = accepts(lambda: call(actor(user), vote, None))  # noqa: B023
            assert (name in page) == done, f"{where}: page offers {sorted(page)}"
            assert (name in api) == done, f"{where}: API offers {sorted(api)}"


def test_the_refusal_of_an_action_is_the_service_s_error(vote, voters, haiyan_staff):
    """The reason a page shows for an action it does not offer is what the service answers."""
    _open(vote, haiyan_staff, voters)
    vote.refresh_from_db()
    refusal = actions.offer(haiyan_staff, "close", vote).refusal
    assert refusal is not None and refusal.code == "no_quorum"
    with pytest.raises(type(refusal)) as error:
        services.vote_close(actor=haiyan_staff, vote_id=vote.pk)
    assert (error.value.code, error.value.message) == (refusal.code, refusal.message)


def test_a_deputy_who_has_voted_is_present_without_checking_in(client, vote, voters, haiyan_staff):
    """实到 is one rule (models.ELECTOR_PRESENT): the check-in page, its count, the API and the close agree."""
    _open(vote, haiyan_staff, voters)
    _cast(vote, voters[0], 1, 2)
    client.force_login(haiyan_staff)
    page = client.get(f"/votes/{vote.pk}/check-in/").content.decode()
    row = page.split(f'data-testid="elector-{voters[0].deputy_id}"')[1].split("</li>")[0]
    assert 'data-testid="present"' in row and 'data-action="check_in"' not in row
    assert client.get(f"/api/v1/votes/{vote.pk}/turnout/").json()["present"] == 1
    with pytest.raises(services.Conflict):
        services.elector_check_in(actor=haiyan_staff, vote_id=vote.pk, deputy_id=voters[0].deputy_id)


# --- a solicitation and its proposals ----------------------------------------------------------------------


def _propose(solicitation, *, accept=None):
    proposal = Proposal.objects.create(
        solicitation=solicitation, source=Proposal.Source.PUBLIC, title="修缮村道", description="村道坑洼"
    )
    if accept is not None:
        Proposal.objects.filter(pk=proposal.pk).update(
            status=Proposal.Status.ACCEPTED if accept else Proposal.Status.REJECTED,
            reject_reason="" if accept else Proposal.RejectReason.DUPLICATE,
        )
    return proposal


def _solicitation_state(status, *, candidates=True):
    def build(vote):
        solicitation = vote.solicitation
        if not candidates:
            vote.delete()
            solicitation.candidates.all().delete()
        Solicitation.objects.filter(pk=solicitation.pk).update(status=status)
        for accept in (None, True, False):
            _propose(solicitation, accept=accept)
        solicitation.refresh_from_db()
        return solicitation

    return build


SOLICITATION_STATES = {
    "draft_without_candidates": _solicitation_state(Solicitation.Status.DRAFT, candidates=False),
    "draft": _solicitation_state(Solicitation.Status.DRAFT),
    "open": _solicitation_state(Solicitation.Status.OPEN),
    "closed": _solicitation_state(Solicitation.Status.CLOSED),
}


def _candidate_unit(solicitation):
    from minsheng.units.tests.factories import UnitFactory

    return UnitFactory(name="江门市住房和城乡建设局")


SOLICITATION_CALLS = {
    "open": lambda user, s, session: services.solicitation_open(actor=user, solicitation_id=s.pk),
    "close": lambda user, s, session: services.solicitation_close(actor=user, solicitation_id=s.pk),
    "propose": lambda user, s, session: services.proposal_submit(
        actor=user, solicitation_id=s.pk, title="村口路灯", description="村口没有路灯，夜里难走"
    ),
    "add_candidate": lambda user, s, session: services.candidate_add(
        actor=user,
        solicitation_id=s.pk,
        title="村口路灯",
        description="增设路灯20盏",
        lead_unit=_candidate_unit(s),
        budget="30",
    ),
    "create_vote": lambda user, s, session: services.vote_create(
        actor=user,
        solicitation_id=s.pk,
        session=session,
        seats=1,
        title="票决",
        kind="selection" if s.candidates.count() > 1 else "satisfaction",
    ),
}
PROPOSAL_CALLS = {
    "screen": lambda user, proposal: services.proposal_screen(
        actor=user, proposal_id=proposal.pk, accept=True
    ),
}


@pytest.mark.parametrize("state", list(SOLICITATION_STATES))
@pytest.mark.parametrize("role", ROLES)
def test_a_solicitation_and_its_proposals_offer_alike(client, who, vote, haiyan_session, role, state):
    solicitation = SOLICITATION_STATES[state](vote)
    user = who(role)
    pages = [f"/votes/solicitations/{solicitation.pk}/", f"/votes/solicitations/{solicitation.pk}/propose/"]
    page = page_offers(client, user, pages)
    api = api_actions(user, f"/api/v1/solicitations/{solicitation.pk}/")
    for name, call in SOLICITATION_CALLS.items():
        done = accepts(lambda: call(actor(user), solicitation, haiyan_session))  # noqa: B023
        where = f"{role} · {state} · {name}"
        assert (name in page) == done, f"{where}: page offers {sorted(page)}"
        assert (name in api) == done, f"{where}: API offers {sorted(api)}"
    for proposal in solicitation.proposals.all():
        proposal_api = api_actions(user, f"/api/v1/proposals/{proposal.pk}/")
        for name, call in PROPOSAL_CALLS.items():
            done = accepts(lambda: call(actor(user), proposal))  # noqa: B023
            where = f"{role} · {state} · proposal {proposal.status} · {name}"
            assert (proposal.pk in page.get(name, set())) == done, f"{where}: page"
            assert (name in proposal_api) == done, f"{where}: API"


def test_a_candidate_s_lead_unit_is_one_the_form_offers(vote, haiyan_staff, kaiping_congress):
    """The API took any unit in the country; now the service asks the choices the form shows."""
    from minsheng.units.models import Unit
    from minsheng.units.tests.factories import UnitFactory

    kaiping_unit = UnitFactory(
        name="开平市住房和城乡建设局", level=Unit.Level.COUNTY, place=kaiping_congress.place
    )
    offer = actions.offer(haiyan_staff, "add_candidate", vote.solicitation)
    assert kaiping_unit.pk not in offer.choices["lead_units"]
    with pytest.raises(services.DomainError) as error:
        services.candidate_add(
            actor=haiyan_staff,
            solicitation_id=vote.solicitation_id,
            title="路灯",
            description="增设路灯",
            lead_unit=kaiping_unit,
            budget="10",
        )
    assert error.value.code == "foreign_unit"


@pytest.mark.parametrize("module", ["minsheng.voting.api", "minsheng.projects.api"])
def test_the_api_reads_scope_and_figures_from_the_selectors_never_from_the_views(module):
    import ast
    import importlib
    import inspect

    tree = ast.parse(inspect.getsource(importlib.import_module(module)))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            imported |= {node.module or "", *(f"{node.module or ''}.{a.name}" for a in node.names)}
        elif isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
    assert not [m for m in imported if m.split(".")[-1] == "views"], sorted(imported)
