"""Factories of cases, recorded the way a deputy records them: through `services.case_create` (its number, its
search words, its audit record and, for a wish, the beneficiary's encrypted identity), never a bare row.

`CaseFactory(actor=deputy_user, congress=haiyan_congress, place=station.place)`: a draft suggestion whose lead
deputy is the recorder's deputy; `WishFactory(actor=..., congress=..., station=station)`: a draft wish of 450
yuan for 黄阿婆 (`BENEFICIARY`, a valid ID number) recorded at the station (its place unless given).
"""

from decimal import Decimal

import factory

from minsheng.cases import services
from minsheng.cases.models import Case
from minsheng.common.idcard import with_check_digit

BENEFICIARY = {
    "kind": "household",
    "group": "subsistence",
    "name": "黄阿婆",
    "id_number": "440781194805061228",
    "phone": "13712345678",
    "address": "台山市海宴镇五丰村三巷8号",
}


def beneficiary_data(**changes) -> dict:
    """黄阿婆 with a valid ID number (and any field changed)."""
    return {**BENEFICIARY, "id_number": with_check_digit("44078119480506122"), **changes}


class CaseFactory(factory.Factory):
    class Meta:
        model = Case

    actor = None  # who records it: a deputy, station staff or congress staff (required)
    kind = Case.Kind.SUGGESTION
    title = "五丰村路口增设路灯"
    content = "夜间出行不便，建议安装路灯。"
    lead_deputy = factory.LazyAttribute(lambda o: o.actor.deputy)
    station = None
    place = factory.LazyAttribute(lambda o: o.station.place)

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.case_create(**kwargs)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise TypeError("a case is recorded through services.case_create: use CaseFactory(...), not .build()")


class WishFactory(CaseFactory):
    kind = Case.Kind.WISH
    title = "为独居老人购置轮椅"
    content = "黄阿婆行动不便，希望有一台轮椅方便出行和就医。"
    category = Case.Category.MATERIAL
    amount = Decimal("450")
    beneficiary = factory.LazyFunction(beneficiary_data)
