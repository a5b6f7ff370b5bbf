from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.common.models import TimeStampedModel
from minsheng.common.pinyin import text_initials, text_pinyin


class UnitQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """The pinyin columns are derived: filled here, as `save()` fills them, for imports and the demo."""
        objs = list(objs)
        for obj in objs:
            obj.fill_derived_fields()
        return super().bulk_create(objs, *args, **kwargs)


class Unit(TimeStampedModel):
    """承办单位: a government department or body that handles cases, in a hierarchy (a department under its
    government). The congress that supervises it is the congress of its place."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("People's government")
        DEPARTMENT = "department", _("Government department")
        SUPERVISORY = "supervisory", _("Supervisory commission")
        COURT = "court", _("People's court")
        PROCURATORATE = "procuratorate", _("People's procuratorate")
        OTHER = "other", _("Other body")

    class Level(models.TextChoices):
        CITY = "city", _("City")
        COUNTY = "county", _("County")
        TOWNSHIP = "township", _("Township")

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, db_index=True)
    place = models.ForeignKey(
        "places.Place", verbose_name=_("place"), on_delete=models.PROTECT, related_name="units"
    )
    congress = models.ForeignKey(
        "congresses.Congress",
        verbose_name=_("supervising congress"),
        on_delete=models.PROTECT,
        related_name="units",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("active"), default=True)
    # The pinyin of the name and its initials ('jmsmzj' for 江门市民政局): what a picker matches letters with.
    name_pinyin = models.CharField(max_length=300, editable=False, default="")
    name_initials = models.CharField(max_length=100, editable=False, default="")

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("handling unit")
        verbose_name_plural = _("handling units")
        ordering = ["place__code", "kind", "name"]

    def __str__(self) -> str:
        return self.name

    def fill_derived_fields(self) -> None:
        self.name_pinyin = text_pinyin(self.name)
        self.name_initials = text_initials(self.name)

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_pinyin", "name_initials"}
        super().save(*args, **kwargs)
