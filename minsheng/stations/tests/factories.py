import factory

from minsheng.congresses.models import Congress
from minsheng.places.models import Place
from minsheng.stations.models import Station


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station

    name = factory.Sequence(lambda n: f"代表联络站{n}")
    place = factory.LazyFunction(lambda: Place.objects.get(name="海宴镇"))
    congress = factory.LazyAttribute(lambda o: Congress.objects.get(place=o.place))
    address = factory.Sequence(lambda n: f"海宴镇人民路{n}号")
    opening_hours = "周一至周五 9:00-17:00"
