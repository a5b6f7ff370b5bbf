from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.common import validators as checks
from minsheng.common.crypto import EncryptedCharField, blind_index
from minsheng.common.models import TimeStampedModel, TransitionsMixin
from minsheng.common.privacy import mask_mobile


class User(AbstractUser):
    """An account. The role says what kind of person it is; the scope fields say which congress, unit,
    station or deputy it acts for. Anonymous visitors have no account."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("System administrator")
        CONGRESS_STAFF = "congress_staff", _("Congress staff")
        DEPUTY = "deputy", _("Deputy")
        STATION_STAFF = "station_staff", _("Station staff")
        UNIT_HANDLER = "unit_handler", _("Unit handler")
        DONOR = "donor", _("Donor")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, db_index=True)
    display_name = models.CharField(_("name"), max_length=100, blank=True)
    mobile = EncryptedCharField(_("mobile number"), blank=True, default="", max_length=20)
    mobile_index = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    congress = models.ForeignKey(
        "congresses.Congress",
        verbose_name=_("congress"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handlers",
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("station"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    deputy = models.OneToOneField(
        "deputies.Deputy",
        verbose_name=_("deputy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user",
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            checks.encrypted_length_constraint("mobile", 20, name="user_mobile_max_length"),
            models.CheckConstraint(
                name="staff_has_congress",
                condition=~models.Q(role="congress_staff") | models.Q(congress__isnull=False),
            ),
            models.CheckConstraint(
                name="handler_has_unit",
                condition=~models.Q(role="unit_handler") | models.Q(unit__isnull=False),
            ),
            models.CheckConstraint(
                name="station_staff_has_station",
                condition=~models.Q(role="station_staff") | models.Q(station__isnull=False),
            ),
            models.CheckConstraint(
                name="deputy_user_has_deputy",
                condition=~models.Q(role="deputy") | models.Q(deputy__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    def save(self, *args, **kwargs):
        self.mobile_index = blind_index(self.mobile) if self.mobile else None
        if kwargs.get("update_fields") is not None and "mobile" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "mobile_index"}
        super().save(*args, **kwargs)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role == self.Role.ADMIN

    def has_role(self, *roles: str) -> bool:
        return self.is_active and self.role in roles


class DonorProfile(TransitionsMixin, TimeStampedModel):
    """社会力量: an enterprise, social organisation or individual who registered to claim and fund wishes.
    A donor may act only once staff have verified the profile."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        ORGANISATION = "organisation", _("Social organisation")
        INDIVIDUAL = "individual", _("Individual")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    TRANSITIONS = {
        Status.PENDING: {Status.VERIFIED, Status.REJECTED},
        Status.REJECTED: {Status.PENDING},
        Status.VERIFIED: set(),
    }

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="donor_profile")
    kind = models.CharField(_("donor type"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("donor name"), max_length=150)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50)
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    reviewed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reject_reason = models.CharField(_("reason for rejection"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("donor")
        verbose_name_plural = _("donors")
        ordering = ["-created_at"]
        constraints = [
            # One account per enterprise or organisation; individuals have no code.
            models.UniqueConstraint(
                fields=["credit_code"], condition=~models.Q(credit_code=""), name="unique_donor_credit_code"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def can_act(self) -> bool:
        return self.status == self.Status.VERIFIED
