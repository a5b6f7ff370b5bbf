"""The social funds ledger (撬动社会资金) and the campaign dashboard's summary rows (集中履职月).

`Contribution`: money or goods pledged (认捐) and received (到账) from enterprises, organisations and individuals
for a campaign (e.g. planting the 人大代表林), a wish or a project. Written only by `contribution_services`.

`CampaignFigure`: one figure of a campaign's dashboard for one area (a place-code prefix), written only by
`campaigns.refresh_campaign_summaries`; the dashboard reads these rows and nothing else."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.common import validators as checks
from minsheng.common.models import TimeStampedModel, TransitionsMixin
from minsheng.common.uploads import RandomName


class Contribution(TransitionsMixin, TimeStampedModel):
    """撬动社会资金: one gift in the ledger. The donor is an account of the case workflow's 社会力量 (a user with a
    DonorProfile) or, for a giver without an account, a name (an organisation's; an individual's name is
    personal data and is shown only to staff). A gift for a wish links the wish's claim when there is one, so
    that the totals count the claim once (README, "Reconciliation")."""

    class DonorKind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        ORGANISATION = "organisation", _("Social organisation")
        INDIVIDUAL = "individual", _("Individual")

    class Form(models.TextChoices):
        MONEY = "money", _("Money")
        GOODS = "goods", _("Goods")

    class Purpose(models.TextChoices):
        CAMPAIGN = "campaign", _("Campaign")
        WISH = "wish", _("Micro-wish")
        PROJECT = "project", _("Project")

    class Status(models.TextChoices):
        PLEDGED = "pledged", _("Pledged")
        RECEIVED = "received", _("Received")
        CANCELLED = "cancelled", _("Cancelled")

    TRANSITIONS = {
        Status.PLEDGED: {Status.RECEIVED, Status.CANCELLED},
        Status.RECEIVED: set(),
        Status.CANCELLED: set(),
    }
    COUNTED = (Status.PLEDGED, Status.RECEIVED)

    donor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("donor account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    donor_kind = models.CharField(_("donor type"), max_length=20, choices=DonorKind.choices)
    donor_name = models.CharField(_("donor name"), max_length=150, blank=True)
    form = models.CharField(_("money or goods"), max_length=5, choices=Form.choices)
    amount = models.DecimalField(_("amount or value (yuan)"), max_digits=14, decimal_places=2)
    goods = models.CharField(_("goods"), max_length=200, blank=True)
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    campaign = models.ForeignKey(
        "activities.Campaign",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("wish"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    claim = models.ForeignKey(
        "cases.Claim",
        verbose_name=_("claim"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    place = models.ForeignKey(
        "places.Place", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLEDGED, db_index=True
    )
    pledged_on = models.DateField(_("pledged on"), db_index=True, validators=[checks.validate_past_date])
    received_on = models.DateField(
        _("received on"), null=True, blank=True, validators=[checks.validate_past_date]
    )
    receipt = models.FileField(
        _("receipt"), upload_to=RandomName("contributions"), max_length=255, blank=True, default=""
    )
    receipt_name = models.CharField(max_length=255, blank=True, default="")
    note = models.TextField(_("note"), blank=True, max_length=checks.NOTE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-pledged_on", "-id"]
        constraints = [
            models.CheckConstraint(name="contribution_amount_positive", condition=models.Q(amount__gt=0)),
            models.CheckConstraint(
                name="contribution_goods_described",
                condition=models.Q(form="money") | ~models.Q(goods=""),
            ),
            models.CheckConstraint(
                name="contribution_has_donor",
                condition=models.Q(donor__isnull=False) | ~models.Q(donor_name=""),
            ),
            models.CheckConstraint(
                name="contribution_purpose_target",
                condition=(
                    models.Q(
                        purpose="campaign", campaign__isnull=False, case__isnull=True, project__isnull=True
                    )
                    | models.Q(
                        purpose="wish", case__isnull=False, campaign__isnull=True, project__isnull=True
                    )
                    | models.Q(
                        purpose="project", project__isnull=False, campaign__isnull=True, case__isnull=True
                    )
                ),
            ),
            models.CheckConstraint(
                name="contribution_claim_for_wish",
                condition=models.Q(claim__isnull=True) | models.Q(purpose="wish"),
            ),
            models.CheckConstraint(
                name="contribution_received_dated",
                condition=~models.Q(status="received") | models.Q(received_on__isnull=False),
            ),
            # A claim is counted through at most one live ledger row.
            models.UniqueConstraint(
                fields=["claim"],
                condition=models.Q(claim__isnull=False, status__in=["pledged", "received"]),
                name="one_live_contribution_per_claim",
            ),
            checks.length_constraint("note", checks.NOTE, name="contribution_note_max_length"),
        ]
        indexes = [models.Index(fields=["purpose", "status"], name="contribution_purpose_idx")]

    def __str__(self) -> str:
        # Never an individual's name: this is what the audit trail stores as the target's name.
        return f"{self.get_purpose_display()} {self.amount}"


class CampaignFigure(models.Model):
    """One figure of a campaign's dashboard for one area: `area` is a place-code prefix (the campaign's own
    region, a county's 6 digits or a town's 9), `metric` what is counted, `key` its breakdown (a disposal, a
    kind of activity, a deputy level, a month) or ''. Every figure is stored for every prefix of its area
    down from the campaign's own, so a scope reads its own rows (area = the congress's region prefix) and the
    heat table its children's."""

    campaign = models.ForeignKey("activities.Campaign", on_delete=models.CASCADE, related_name="+")
    area = models.CharField(max_length=12)
    metric = models.CharField(max_length=24)
    key = models.CharField(max_length=64, blank=True, default="")  # "<town code>:participants:provincial"
    value = models.DecimalField(max_digits=16, decimal_places=2, default=Decimal("0"))

    class Meta:
        verbose_name = _("campaign figure")
        verbose_name_plural = _("campaign figures")
        indexes = [models.Index(fields=["campaign", "area"], name="campaign_figure_area_idx")]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.area} {self.metric} {self.key}"


class CampaignSummary(models.Model):
    """When a campaign's figures were last refreshed (one row per campaign, locked by each refresh)."""

    campaign = models.OneToOneField("activities.Campaign", on_delete=models.CASCADE, related_name="+")
    as_of = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(default=0)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("campaign summary state")
        verbose_name_plural = _("campaign summary states")

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.as_of}"
