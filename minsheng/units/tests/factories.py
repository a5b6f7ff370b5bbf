import factory

from minsheng.congresses.models import Congress
from minsheng.places.models import Place
from minsheng.units.models import Unit


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"江门市测试局{n}")
    kind = Unit.Kind.DEPARTMENT
    level = Unit.Level.CITY
    place = factory.LazyFunction(lambda: Place.objects.get(code="440700"))
    congress = factory.LazyAttribute(lambda o: Congress.objects.get(place=o.place))
