"""Factories of the voting app, and `make_electorate` for many deputies at once (bulk, for races and bench)."""

import datetime as dt
from decimal import Decimal

import factory

from minsheng.accounts.models import User
from minsheng.congresses.tests.factories import SessionFactory  # noqa: F401 (asked here too)
from minsheng.deputies.models import Deputy, Seat
from minsheng.deputies.tests.factories import id_number_for
from minsheng.units.tests.factories import UnitFactory
from minsheng.voting.models import Candidate, Solicitation, VoteSession


class SolicitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Solicitation

    year = 2026
    title = factory.LazyAttribute(lambda o: f"{o.congress.name}{o.year}年民生实事项目征集")
    opens_on = dt.date(2025, 10, 1)
    closes_on = dt.date(2025, 11, 30)
    status = Solicitation.Status.OPEN


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"民生实事候选项目{n + 1}")
    description = "改造农村道路、增设路灯"
    lead_unit = factory.SubFactory(UnitFactory, name="江门市住房和城乡建设局")
    budget = Decimal("120.00")


def make_vote(*, congress, session, seats=2, candidates=3, kind=VoteSession.Kind.SELECTION, **extra):
    """A vote in preparation with `candidates` new candidates of a new solicitation of `congress`."""
    solicitation = SolicitationFactory(congress=congress, year=extra.pop("year", 2026))
    items = [CandidateFactory(solicitation=solicitation, number=i + 1) for i in range(candidates)]
    vote = VoteSession.objects.create(
        congress=congress,
        session=session,
        solicitation=solicitation,
        kind=kind,
        seats=seats,
        title=extra.pop("title", "2026年民生实事项目票决"),
        **extra,
    )
    vote.candidates.set(items)
    return vote


def make_electorate(term, n: int, *, start: int = 100_000, with_users: bool = True) -> list[User | Deputy]:
    """`n` deputies with active seats in `term`'s congress, in bulk (fill_derived_fields by hand); returns
    their users (role deputy), or the deputies when `with_users` is false."""
    deputies = []
    for i in range(start, start + n):
        deputy = Deputy(
            name=f"票决代表{i}",
            gender=Deputy.Gender.MALE,
            birth_date=dt.date(1970, 1, 1),
            id_number=id_number_for(i, region="440781"),
            mobile="",
        )
        deputy.fill_derived_fields()
        deputies.append(deputy)
    deputies = Deputy.objects.bulk_create(deputies, batch_size=500)
    if not all(d.pk for d in deputies):  # SQLite before RETURNING, or other backends
        deputies = list(Deputy.objects.filter(name__startswith="票决代表").order_by("pk"))[-n:]
    Seat.objects.bulk_create(
        [
            Seat(
                deputy=d, congress=term.congress, term=term, start_date=term.start_date, delegation="票决小组"
            )
            for d in deputies
        ],
        batch_size=500,
    )
    if not with_users:
        return deputies
    users = User.objects.bulk_create(
        [
            User(username=f"voter{d.pk}", display_name=d.name, role=User.Role.DEPUTY, deputy=d, password="!")
            for d in deputies
        ],
        batch_size=500,
    )
    return users


def check_in_quorum(vote, staff) -> int:
    """Check in (through the service) electors not yet present, in deputy order, until the vote has its quorum
    (2/3 of all deputies by default), so it can be closed; returns how many are present."""
    from minsheng.voting import rules, services
    from minsheng.voting.models import ELECTOR_PRESENT, Elector

    vote.refresh_from_db()  # the electorate is snapshot at opening
    electors = Elector.objects.filter(vote=vote)
    present = electors.filter(ELECTOR_PRESENT).count()
    missing = rules.vote_quorum(vote, present).missing
    absent = electors.exclude(ELECTOR_PRESENT).order_by("deputy_id").values_list("deputy_id", flat=True)
    for deputy_id in list(absent[:missing]):
        services.elector_check_in(actor=staff, vote_id=vote.pk, deputy_id=deputy_id)
    return present + missing


def in_box(vote) -> int:
    """How many ballots are in the vote's sealed box (cast, not yet counted)."""
    from minsheng.voting.models import SealedBallot

    return SealedBallot.objects.filter(vote=vote).count()


def peek_box(vote) -> list:
    """The sealed ballots of an open vote, opened with its key (what closing will count): tests only."""
    from minsheng.voting import ballot_box
    from minsheng.voting.models import BallotBox, SealedBallot

    key = ballot_box.unwrap(BallotBox.objects.get(vote=vote).key)
    return [
        ballot_box.unseal(key, vote.pk, s)
        for s in SealedBallot.objects.filter(vote=vote).values_list("sealed", flat=True)
    ]
