from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.common.pinyin import text_initials, text_pinyin


class PlaceQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """The pinyin columns are derived: filled here, as `save()` fills them (`places_load` loads in bulk)."""
        objs = list(objs)
        for obj in objs:
            obj.fill_derived_fields()
        return super().bulk_create(objs, *args, **kwargs)


class Place(models.Model):
    """行政区划: a division of the country, from the province down to the village."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        COUNTY = "county", _("County")
        TOWNSHIP = "township", _("Township")
        VILLAGE = "village", _("Village")

    class Kind(models.TextChoices):
        NONE = "", _("—")
        STREET = "street", _("Sub-district (街道)")
        TOWN = "town", _("Town (镇)")
        TOWNSHIP = "township", _("Township (乡)")
        COMMUNITY = "community", _("Community (社区)")
        VILLAGE = "village", _("Village (村)")
        OTHER = "other", _("Non-administrative unit")

    # Codes are hierarchical: a child's code starts with its parent's prefix (see `prefix`).
    PREFIX_LENGTH = {"province": 2, "city": 4, "county": 6, "township": 9, "village": 12}
    CODE_LENGTH = {"province": 6, "city": 6, "county": 6, "township": 9, "village": 12}
    # 东莞 and 中山 have no county level: their towns and streets hang directly below the city.
    CITIES_WITHOUT_COUNTIES = frozenset({"441900", "442000"})
    KINDS_OF_LEVEL = {
        "province": ("",),
        "city": ("",),
        "county": ("",),
        "township": ("street", "town", "township", "other"),
        "village": ("community", "village", "other"),
    }

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, blank=True, default="")
    is_administrative = models.BooleanField(
        _("administrative unit"),
        default=True,
        help_text=_("Development zones, parks and farms are kept but are not administrative units."),
    )
    prefix = models.CharField(max_length=12, db_index=True, editable=False)
    # The pinyin of the name and its initials ('hyz' for 海宴镇): what a picker matches letters with.
    name_pinyin = models.CharField(max_length=300, editable=False, default="")
    name_initials = models.CharField(max_length=100, editable=False, default="")

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.prefix = self.prefix_of(self.code, self.level)
        self.is_administrative = self.kind != self.Kind.OTHER
        self.fill_derived_fields()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_pinyin", "name_initials"}
        super().save(*args, **kwargs)

    def fill_derived_fields(self) -> None:
        self.name_pinyin = text_pinyin(self.name)
        self.name_initials = text_initials(self.name)

    @classmethod
    def prefix_of(cls, code: str, level: str) -> str:
        return code[: cls.PREFIX_LENGTH[level]]

    @property
    def has_congress(self) -> bool:
        """A 街道 has no people's congress; a 镇 or 乡 has one; so do the city and county levels."""
        if self.level in (self.Level.PROVINCE, self.Level.CITY, self.Level.COUNTY):
            return True
        return self.level == self.Level.TOWNSHIP and self.kind in (self.Kind.TOWN, self.Kind.TOWNSHIP)

    def is_within(self, other: "Place") -> bool:
        return self.code.startswith(other.prefix)

    @property
    def is_street(self) -> bool:
        return self.level == self.Level.TOWNSHIP and self.kind == self.Kind.STREET

    @property
    def has_county_level(self) -> bool:
        """False for 东莞 and 中山, whose townships hang directly below the city."""
        return not (self.level == self.Level.CITY and self.code in self.CITIES_WITHOUT_COUNTIES)

    @property
    def child_level(self) -> str | None:
        """The level of the places directly below this one (None for a village)."""
        if self.level == self.Level.CITY and not self.has_county_level:
            return self.Level.TOWNSHIP
        order = list(self.PREFIX_LENGTH)
        index = order.index(self.level)
        return order[index + 1] if index + 1 < len(order) else None

    @property
    def child_code_start(self) -> str:
        """What the code of every place directly below this one starts with."""
        if self.level == self.Level.CITY and not self.has_county_level:
            return self.code
        return self.prefix

    def ancestor_codes(self) -> list[str]:
        """The codes of the places above this one, read off its own code (province first)."""
        code = self.code
        candidates = [code[:2] + "0000", code[:4] + "00", code[:6], code[:9]]
        cut = {"province": 0, "city": 1, "county": 2, "township": 3, "village": 4}[self.level]
        return list(dict.fromkeys(c for c in candidates[:cut] if c != code))
