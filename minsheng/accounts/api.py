"""/api/v1/me/ (who the caller is) and /api/v1/donors/ (registration for anyone, review for staff)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from minsheng.common.api import Can
from minsheng.common.permissions import can

from . import selectors, services
from .forms import donor_area_queryset
from .models import DonorProfile, User

# --- me -----------------------------------------------------------------------------------------------------


@extend_schema_serializer(many=False)  # answered by the viewset's `list`, but one object, not a list
class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()
    role = serializers.ChoiceField(choices=User.Role.choices)
    is_admin = serializers.BooleanField()
    congress = serializers.IntegerField(allow_null=True, help_text=_("The congress a staff member acts for."))
    unit = serializers.IntegerField(allow_null=True, help_text=_("The handling unit of a unit handler."))
    station = serializers.IntegerField(allow_null=True, help_text=_("The liaison station of station staff."))
    deputy = serializers.IntegerField(
        allow_null=True, help_text=_("The deputy record of a deputy's account.")
    )
    region_prefix = serializers.CharField(
        allow_null=True,
        help_text=_("The place-code prefix a staff member oversees ('' = everywhere); null for other roles."),
    )
    is_verified_donor = serializers.BooleanField()


class MeViewSet(viewsets.ViewSet):
    """The signed-in account: its role and the ids of what it acts for."""

    permission_classes = [permissions.IsAuthenticated]

    # Not signed in answers 403 (session authentication comes first and sends no WWW-Authenticate).
    @extend_schema(responses={200: MeSerializer})
    def list(self, request):
        user = request.user
        role = User.Role.ADMIN if user.is_admin else user.role
        data = {
            "id": user.pk,
            "username": user.username,
            "display_name": user.display_name,
            "role": role,
            **selectors.me_scope(user),
        }
        return Response(MeSerializer(data).data)


# --- donors -------------------------------------------------------------------------------------------------


class DonorSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    mobile = serializers.CharField(source="user.masked_mobile", read_only=True, help_text=_("Masked."))
    place = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = DonorProfile
        fields = [
            "id",
            "kind",
            "name",
            "credit_code",
            "contact_name",
            "place",
            "status",
            "reject_reason",
            "reviewed_at",
            "created_at",
            "username",
            "mobile",
        ]
        read_only_fields = fields


class DonorQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=DonorProfile.Status.choices, required=False)
    kind = serializers.ChoiceField(choices=DonorProfile.Kind.choices, required=False)
    q = serializers.CharField(required=False, help_text=_("Part of the name or contact, or the credit code."))


class DonorRegisterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DonorProfile.Kind.choices)
    name = serializers.CharField(max_length=150)
    credit_code = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    contact_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    place = serializers.SlugRelatedField(
        slug_field="code", queryset=donor_area_queryset(), required=False, allow_null=True, default=None
    )
    username = serializers.CharField(max_length=150)
    mobile = serializers.CharField(max_length=20)
    password = serializers.CharField(write_only=True, trim_whitespace=False)


class DonorRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


@extend_schema_view(list=extend_schema(parameters=[DonorQuerySerializer]))
class DonorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Donors (社会力量). Staff list and review those of their region; anyone may register."""

    serializer_class = DonorSerializer

    def get_permissions(self):
        if self.action == "register":
            return [permissions.AllowAny()]  # the service decides: anonymous visitors and staff
        return [permissions.IsAuthenticated(), Can.to("accounts.manage_donors")()]

    def get_queryset(self):
        if self.action != "list":
            return selectors.donor_list_for(self.request.user)
        query = DonorQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.donor_list_for(self.request.user, **query.validated_data)

    @extend_schema(
        request=None,
        responses={
            200: DonorSerializer,
            404: None,
            409: OpenApiResponse(description="Not awaiting verification"),
        },
    )
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        profile = self.get_object()
        services.donor_verify(actor=request.user, donor_id=profile.pk)
        return Response(DonorSerializer(selectors.donor_get(request.user, profile.pk)).data)

    @extend_schema(
        request=DonorRejectSerializer,
        responses={
            200: DonorSerializer,
            400: OpenApiResponse(description="No reason"),
            404: None,
            409: OpenApiResponse(description="Not awaiting verification"),
        },
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        profile = self.get_object()
        data = DonorRejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.donor_reject(actor=request.user, donor_id=profile.pk, reason=data.validated_data["reason"])
        return Response(DonorSerializer(selectors.donor_get(request.user, profile.pk)).data)

    @extend_schema(
        request=DonorRegisterSerializer,
        responses={
            201: DonorSerializer,
            400: OpenApiResponse(description="Wrong input: the errors by field"),
            403: OpenApiResponse(description="Signed in with an account that is not staff"),
            409: OpenApiResponse(description="Taken in the meantime"),
        },
    )
    @action(detail=False, methods=["post"], url_path="register")
    def register(self, request):
        if not can(request.user, "accounts.register_donor"):  # refuse before judging the input
            raise exceptions.PermissionDenied()
        data = DonorRegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile = services.donor_register(actor=request.user, **data.validated_data)
        return Response(DonorSerializer(profile).data, status=status.HTTP_201_CREATED)


routes = [("me", MeViewSet, "me"), ("donors", DonorViewSet, "donor")]
