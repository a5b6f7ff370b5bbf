"""Serializers of the wish wall and the claims (the Claim machine)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from minsheng.common.api import IdField

from ..models import Beneficiary, Case, Claim
from ..privacy import beneficiary_for, redact, township_of, wall_label
from ..selectors import WALL_STATES, open_amount
from ._base import BeneficiaryOutSerializer, DocumentOutSerializer, target_actions


class ClaimOnCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    donor = serializers.SerializerMethodField()
    kind = serializers.ChoiceField(choices=Claim.Kind.choices)
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    status = serializers.ChoiceField(choices=Claim.Status.choices)
    withdraw_reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    delivered_at = serializers.DateTimeField(allow_null=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)
    allowed_actions = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    def get_donor(self, claim: Claim) -> str:
        """The donor's registered name (enterprise, organisation or person)."""
        profile = getattr(claim.donor, "donor_profile", None)
        return profile.name if profile is not None else str(claim.donor)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, claim: Claim) -> list[str]:
        """withdraw, deliver, confirm (on /api/v1/claims/{id}/)."""
        return target_actions(self.context, claim)[1]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_available_actions(self, obj) -> list[str]:
        """The actions the caller may take now, by the case page's names (`cases/actions.py`)."""
        return target_actions(self.context, obj)[0]


class PutOnWallInSerializer(serializers.Serializer):
    public_summary = serializers.CharField(
        max_length=200,
        allow_blank=True,
        write_only=True,
        help_text=_("What the wall shows: the need in a few words, nothing that identifies the family"),
    )


# --- claims ------------------------------------------------------------------------------------------------


class WishBriefSerializer(serializers.Serializer):
    """A wish as the wall shows it (no title, content, beneficiary, village or files)."""

    id = serializers.IntegerField()
    label = serializers.SerializerMethodField()
    public_summary = serializers.SerializerMethodField()
    category = serializers.ChoiceField(choices=Case.Category.choices)
    township = serializers.SerializerMethodField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)

    def get_label(self, case: Case) -> str:
        return wall_label(case)

    def get_public_summary(self, case: Case) -> str:
        return redact(case.public_summary, case)

    def get_township(self, case: Case) -> str:
        township = township_of(case.place)
        return township.name if township else ""


class ClaimSerializer(serializers.Serializer):
    """A claim (认领) or pledge (认捐) with the wish it is for, as the wall shows it."""

    id = serializers.IntegerField()
    wish = WishBriefSerializer(source="case")
    kind = serializers.ChoiceField(choices=Claim.Kind.choices)
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    status = serializers.ChoiceField(choices=Claim.Status.choices)
    withdraw_reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    delivered_at = serializers.DateTimeField(allow_null=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)
    allowed_actions = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, claim: Claim) -> list[str]:
        """withdraw, deliver, confirm."""
        return target_actions(self.context, claim)[1]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_available_actions(self, claim: Claim) -> list[str]:
        """The actions the caller may take now, by the case page's names (`cases/actions.py`)."""
        return target_actions(self.context, claim)[0]


class ClaimDetailSerializer(ClaimSerializer):
    """One claim: for its donor, while the claim is live, the contact needed to deliver."""

    beneficiary = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()

    @extend_schema_field(BeneficiaryOutSerializer(allow_null=True))
    def get_beneficiary(self, claim: Claim) -> dict | None:
        """From `privacy.beneficiary_for`."""
        return beneficiary_for(self.context["request"].user, claim.case)

    @extend_schema_field(DocumentOutSerializer(many=True))
    def get_photos(self, claim: Claim) -> list:
        """The hand-over photos (their donor's own uploads)."""
        return DocumentOutSerializer(claim.photos.all(), many=True, context=self.context).data


class ClaimCreateSerializer(serializers.Serializer):
    case = serializers.PrimaryKeyRelatedField(
        queryset=Case.objects.filter(kind=Case.Kind.WISH, on_wall_at__isnull=False),
        write_only=True,
        help_text=_("A wish on the wish wall"),
    )
    kind = serializers.ChoiceField(choices=Claim.Kind.choices, write_only=True)
    amount = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        write_only=True,
        help_text=_("The pledged share (kind share); a whole claim takes the wish's value"),
    )


class ClaimFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Claim.Status.choices, required=False)
    case = IdField(required=False)


class DeliverInSerializer(serializers.Serializer):
    photos = serializers.ListField(
        child=serializers.FileField(),
        allow_empty=True,
        write_only=True,
        help_text=_("1 to 9 photos of the hand-over (JPEG, PNG, WebP)"),
    )


# --- public: the wish wall and published answers ------------------------------------------------------------


class WallItemSerializer(WishBriefSerializer):
    """A wish on the public wall: never its title, content, beneficiary, village or files."""

    open_amount = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()
    on_wall_at = serializers.DateTimeField()

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=2))
    def get_open_amount(self, case: Case) -> str:
        """What is still open to claim or pledge."""
        return str(open_amount(case))

    @extend_schema_field(serializers.ChoiceField(choices=[(s, s) for s in WALL_STATES]))
    def get_state(self, case: Case) -> str:
        """open (needs help), claimed (covered by claims), realised (delivery confirmed)."""
        if case.realised_at is not None:
            return "realised"
        return "claimed" if case.claimed_total >= (case.amount or 0) else "open"


class WallFilterSerializer(serializers.Serializer):
    township = serializers.RegexField(r"^\d{6,12}$", required=False, help_text=_("place code prefix"))
    category = serializers.ChoiceField(
        choices=[
            (Case.Category.MATERIAL, Case.Category.MATERIAL.label),
            (Case.Category.SERVICE, Case.Category.SERVICE.label),
        ],
        required=False,
    )
    group = serializers.ChoiceField(choices=Beneficiary.Group.choices, required=False)
    state = serializers.ChoiceField(
        choices=[(s, s) for s in (*WALL_STATES, "all")], required=False, default="open"
    )
