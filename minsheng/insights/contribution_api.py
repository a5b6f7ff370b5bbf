"""REST API of the social funds ledger: /api/v1/contributions/ (congress staff of the region, admins):
list (never an individual donor's name), read, enter a gift, mark it received."""

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from minsheng.accounts.models import User
from minsheng.activities.models import Campaign
from minsheng.cases.models import Case, Claim
from minsheng.common.api import IdField
from minsheng.common.errors import PermissionDenied
from minsheng.common.permissions import can
from minsheng.projects.models import Project

from . import contribution_selectors as selectors
from . import contribution_services as services
from .campaign_models import Contribution


class ContributionSerializer(serializers.ModelSerializer):
    donor = serializers.SerializerMethodField()

    class Meta:
        model = Contribution
        fields = [
            "id",
            "donor",
            "donor_kind",
            "form",
            "amount",
            "goods",
            "purpose",
            "campaign",
            "case",
            "claim",
            "project",
            "place",
            "status",
            "pledged_on",
            "received_on",
        ]

    def get_donor(self, obj) -> str:
        return selectors.donor_label(obj, staff=False)


class ContributionWriteSerializer(serializers.Serializer):
    donor = IdField(required=False, allow_null=True, default=None)
    donor_kind = serializers.ChoiceField(choices=Contribution.DonorKind.choices, required=False, default="")
    donor_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=150)
    form = serializers.ChoiceField(choices=Contribution.Form.choices)
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None
    )
    goods = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    purpose = serializers.ChoiceField(choices=Contribution.Purpose.choices)
    campaign = IdField(required=False, allow_null=True, default=None)
    case = IdField(required=False, allow_null=True, default=None)
    claim = IdField(required=False, allow_null=True, default=None)
    project = IdField(required=False, allow_null=True, default=None)
    pledged_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReceiveSerializer(serializers.Serializer):
    received_on = serializers.DateField()


def _one(model, pk):
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise serializers.ValidationError({"id": [str(pk)]})
    return obj


@extend_schema_view(
    list=extend_schema(summary="The social funds ledger of the caller's region (staff)"),
    retrieve=extend_schema(summary="One gift"),
    create=extend_schema(
        summary="Enter a gift pledged (a gift for a wish links the donor's claim)",
        request=ContributionWriteSerializer,
        responses={201: ContributionSerializer},
    ),
)
class ContributionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ContributionSerializer
    queryset = Contribution.objects.none()
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Contribution.objects.none()
        if not can(self.request.user, "insights.view_contributions", None):
            raise PermissionDenied()
        return selectors.contribution_list(self.request.user)

    def get_object(self):
        try:
            pk = int(self.kwargs["pk"])
        except (TypeError, ValueError):
            raise Http404 from None
        if not 0 < pk < 2**63:
            raise Http404
        obj = self.get_queryset().filter(pk=pk).first()
        if obj is None:
            raise Http404
        return obj

    def create(self, request, *args, **kwargs):
        incoming = ContributionWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        contribution = services.contribution_record(
            actor=request.user,
            donor=_one(User, data.pop("donor")),
            campaign=_one(Campaign, data.pop("campaign")),
            case=_one(Case, data.pop("case")),
            claim=_one(Claim, data.pop("claim")),
            project=_one(Project, data.pop("project")),
            **data,
        )
        return Response(ContributionSerializer(contribution).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="到账: the gift arrived (once)",
        request=ReceiveSerializer,
        responses={200: ContributionSerializer},
    )
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        contribution = self.get_object()
        incoming = ReceiveSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        contribution = services.contribution_receive(
            actor=request.user,
            contribution_id=contribution.pk,
            received_on=incoming.validated_data["received_on"],
        )
        return Response(ContributionSerializer(contribution).data)


routes = [("contributions", ContributionViewSet, "contribution")]
