import datetime as dt

import factory

from minsheng.common.idcard import parse_id_number, with_check_digit
from minsheng.congresses.tests.factories import TermFactory  # noqa: F401 (asked here too)
from minsheng.deputies.models import Deputy, Seat


def id_number_for(n: int, region: str = "440781", gender: str = "M") -> str:
    """A valid 18-digit ID number, different for each n."""
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=(n * 37) % 15000)
    seq = (n % 500) * 2 + (1 if gender == "M" else 0)
    return with_check_digit(f"{region}{birth:%Y%m%d}{seq:03d}")


class DeputyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deputy

    name = factory.Sequence(lambda n: f"代表{n}")
    gender = Deputy.Gender.MALE
    id_number = factory.Sequence(lambda n: id_number_for(n + 1))
    birth_date = factory.LazyAttribute(lambda o: parse_id_number(o.id_number).birth_date)
    mobile = factory.Sequence(lambda n: f"138{n:08d}")
    occupation = "江门市某单位职员"


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seat

    deputy = factory.SubFactory(DeputyFactory)
    term = factory.SubFactory(TermFactory)
    congress = factory.LazyAttribute(lambda o: o.term.congress)
    delegation = "台山代表团"
    constituency = "第一选区"
    start_date = factory.LazyAttribute(lambda o: o.term.start_date)
