"""Factories of the congresses' terms and sessions (the congresses themselves are loaded with the places:
`Congress.objects.get(...)`, see the root conftest.py)."""

import datetime as dt

import factory

from minsheng.congresses.models import Congress, Session, Term


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term
        django_get_or_create = ("congress", "number")

    congress = factory.LazyFunction(lambda: Congress.objects.get(region_prefix="4407"))
    number = 16
    start_date = dt.date(2022, 1, 1)
    end_date = dt.date(2026, 12, 31)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session
        django_get_or_create = ("term", "number")

    number = 5
    start_date = dt.date(2026, 1, 10)
    end_date = dt.date(2026, 1, 12)
