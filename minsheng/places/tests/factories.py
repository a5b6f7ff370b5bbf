import factory

from minsheng.places.models import Place


class PlaceFactory(factory.django.DjangoModelFactory):
    """A township below 台山市 by default (codes 440781600…, outside the shipped ones)."""

    class Meta:
        model = Place
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"440781{600 + n:03d}")
    name = factory.Sequence(lambda n: f"测试镇{n}")
    parent = factory.LazyFunction(lambda: Place.objects.get(code="440781"))
    level = Place.Level.TOWNSHIP
    kind = Place.Kind.TOWN
