from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.common import validators as checks
from minsheng.common.crypto import EncryptedCharField, blind_index
from minsheng.common.models import TimeStampedModel, TransitionsMixin
from minsheng.common.pinyin import name_initials, name_sort_key, name_syllables
from minsheng.common.privacy import mask_id_number, mask_mobile


def compact_pinyin(name: str) -> str:
    """'曾丽' → 'zengli': the pinyin of a name without spaces, so "zengli" and "zeng li" find it by prefix."""
    return "".join(ch for ch in "".join(name_syllables(name)) if "a" <= ch <= "z")[:200]


def normalize_pinyin_query(q: str) -> str:
    """What a pinyin prefix search compares with `name_pinyin`: lower case, letters only ('Zeng Li' → 'zengli');
    '' when the query is not pinyin (Chinese characters, digits)."""
    q = (q or "").strip().lower().replace("ü", "v")
    if not q or any(not ("a" <= ch <= "z" or ch in " '-") for ch in q):
        return ""
    return "".join(ch for ch in q if "a" <= ch <= "z")


class Deputy(TimeStampedModel):
    """代表: a person who holds or held one or more seats. Personal data is encrypted at rest; the ID number's
    blind index identifies the person across rosters."""

    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    name = models.CharField(_("name"), max_length=50, db_index=True)
    name_sort = models.CharField(_("pinyin"), max_length=200, db_index=True, editable=False)
    # The pinyin without spaces ('zengli'): the column a pinyin prefix search filters on, with an index,
    # so "zengli" and "zeng li" are one indexed prefix lookup at any number of deputies.
    name_pinyin = models.CharField(max_length=200, db_index=True, editable=False, default="")
    # The pinyin initials ('zl' for 曾丽, 首字母): what the pickers also match a typed prefix with.
    name_initials = models.CharField(max_length=50, editable=False, default="")
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("date of birth"))
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True, default="汉族")
    party = models.CharField(_("political affiliation"), max_length=30, blank=True)
    occupation = models.CharField(_("work unit and position"), max_length=200, blank=True)
    # 党员领导干部: kept by staff; these deputies go back to their electoral units first in a campaign
    # (the "回选举单位" check of the activities wing).
    is_leading_cadre = models.BooleanField(_("Party-member leading cadre"), default=False)
    id_number = EncryptedCharField(_("ID number"), max_length=30)
    id_number_index = models.CharField(max_length=64, unique=True, editable=False)
    mobile = EncryptedCharField(_("mobile number"), blank=True, default="", max_length=20)
    mobile_index = models.CharField(max_length=64, blank=True, default="", db_index=True, editable=False)

    class Meta:
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")
        ordering = ["name_sort", "id"]
        indexes = [
            # PostgreSQL under any collation: LIKE 'prefix%' uses these (opclasses are ignored by SQLite).
            models.Index(fields=["name"], name="deputy_name_pattern_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(
                fields=["name_pinyin"], name="deputy_pinyin_pattern_idx", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(
                fields=["name_initials"],
                name="deputy_initials_pattern_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ]
        constraints = [
            checks.encrypted_length_constraint("id_number", 30, name="deputy_id_number_max_length"),
            checks.encrypted_length_constraint("mobile", 20, name="deputy_mobile_max_length"),
        ]

    def __str__(self) -> str:
        return self.name

    def fill_derived_fields(self) -> None:
        """Sort key, pinyin and blind indexes from name, ID number and mobile. `save()` calls it; code that
        uses `bulk_create` (imports, demo, bench) must call it on each row first."""
        self.name_sort = name_sort_key(self.name)
        self.name_pinyin = compact_pinyin(self.name)
        self.name_initials = name_initials(self.name)
        self.id_number_index = blind_index(self.id_number)
        self.mobile_index = blind_index(self.mobile) if self.mobile else ""

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "name_sort",
                "name_pinyin",
                "name_initials",
                "id_number_index",
                "mobile_index",
            }
        super().save(*args, **kwargs)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)


class Seat(TransitionsMixin, TimeStampedModel):
    """A deputy's seat in one congress for one term, with its delegation or group and constituency."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("In office")
        ENDED = "ended", _("Terminated")
        RESIGNED = "resigned", _("Resigned")

    TRANSITIONS = {
        Status.ACTIVE: {Status.ENDED, Status.RESIGNED},
        Status.ENDED: set(),
        Status.RESIGNED: set(),
    }

    deputy = models.ForeignKey(
        Deputy, verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="seats"
    )
    congress = models.ForeignKey(
        "congresses.Congress", verbose_name=_("congress"), on_delete=models.PROTECT, related_name="seats"
    )
    term = models.ForeignKey(
        "congresses.Term", verbose_name=_("term"), on_delete=models.PROTECT, related_name="seats"
    )
    delegation = models.CharField(_("delegation or deputy group"), max_length=100, blank=True)
    constituency = models.CharField(_("constituency or electoral unit"), max_length=100, blank=True)
    start_date = models.DateField(_("start date"), validators=[checks.validate_planned_date])
    end_date = models.DateField(_("end date"), null=True, blank=True, validators=[checks.validate_past_date])
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        ordering = ["congress__region_prefix", "-term__number"]
        constraints = [
            models.UniqueConstraint(fields=["deputy", "term"], name="one_seat_per_deputy_and_term"),
            models.CheckConstraint(
                name="seat_end_after_start",
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
            ),
        ]
        indexes = [models.Index(fields=["congress", "status"], name="seat_congress_status_idx")]

    def __str__(self) -> str:
        return f"{self.deputy.name} · {self.congress.name}"

    @property
    def level(self) -> str:
        return self.congress.level
