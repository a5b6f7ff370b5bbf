"""REST API of campaigns (集中履职月): /api/v1/campaigns/ — list and read (staff of the congresses taking
part and above), create and edit (staff of the organising congress)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from minsheng.common.errors import PermissionDenied

from . import campaign_services
from .campaign_selectors import campaign_get_for, campaigns_for
from .models import Campaign

FIELDS = [
    "name",
    "slogan",
    "theme",
    "starts_on",
    "ends_on",
    "target_receptions_per_station",
    "target_participation_percent",
    "target_wishes",
    "target_funds",
]


class CampaignSerializer(serializers.ModelSerializer):
    congress = serializers.IntegerField(source="congress_id", read_only=True)
    congress_name = serializers.CharField(source="congress.name", read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "congress", "congress_name", *FIELDS]


class CampaignWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    slogan = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    theme = serializers.CharField(required=False, allow_blank=True, default="")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    target_receptions_per_station = serializers.IntegerField(required=False, allow_null=True, default=None)
    target_participation_percent = serializers.IntegerField(required=False, allow_null=True, default=None)
    target_wishes = serializers.IntegerField(required=False, allow_null=True, default=None)
    target_funds = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None
    )


@extend_schema_view(
    list=extend_schema(summary="Campaigns the caller may read (staff)"),
    retrieve=extend_schema(summary="One campaign"),
    create=extend_schema(
        summary="Start a campaign of the caller's congress (its staff)",
        request=CampaignWriteSerializer,
        responses={201: CampaignSerializer},
    ),
    partial_update=extend_schema(
        summary="Edit a campaign (the organising congress's staff)",
        request=CampaignWriteSerializer,
        responses={200: CampaignSerializer},
    ),
)
class CampaignViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CampaignSerializer
    queryset = Campaign.objects.none()
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Campaign.objects.none()
        return campaigns_for(self.request.user).order_by("-starts_on", "id")

    def get_object(self):
        return campaign_get_for(self.request.user, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        incoming = CampaignWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        congress = getattr(request.user, "congress", None)
        if congress is None:
            raise PermissionDenied()
        campaign = campaign_services.campaign_create(
            actor=request.user, congress=congress, **incoming.validated_data
        )
        return Response(CampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        campaign = self.get_object()
        incoming = CampaignWriteSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        campaign = campaign_services.campaign_update(
            actor=request.user, campaign_id=campaign.pk, **incoming.validated_data
        )
        return Response(CampaignSerializer(campaign).data)


routes = [("campaigns", CampaignViewSet, "campaign")]
