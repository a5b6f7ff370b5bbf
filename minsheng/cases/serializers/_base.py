"""What the cases API's serializers share: what the caller may do next, small references, the
beneficiary and a document as the case page and a claim show them, and the context of a case."""

from decimal import Decimal

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from minsheng.common import clock
from minsheng.common.actions import allowed_names
from minsheng.common.permissions import can

from .. import actions
from .. import rules as R
from ..models import Case, Document
from ..privacy import reads_identity, redact, sees_claims_only

CENT = Decimal("0.01")

# --- what the caller may do next ---------------------------------------------------------------------------

CASE_RULES = (
    "cases.edit",
    "cases.verify",
    "cases.file",
    "cases.review",
    "cases.rate",
    "cases.follow_up",
    "cases.claim",
    "cases.confirm_delivery",
    "cases.view_beneficiary",
    "cases.close_unrated",
    "cases.cosign_respond",
)


def rules_of(actor, case: Case) -> dict[str, bool]:
    """The permission rules the case page needs, asked once per request."""
    return {name: can(actor, name, case) for name in CASE_RULES}


def _names(offers: dict) -> tuple[list[str], list[str]]:
    """The allowed actions of `actions.py`'s answer: their names (`available_actions`, the case page's) and the
    API's sub-routes for them (`allowed_actions`)."""
    names = allowed_names(offers)
    routes = list(dict.fromkeys(actions.api_name(name) for name in names))
    return names, routes


def case_actions(context: dict, case: Case) -> tuple[list[str], list[str]]:
    """The case's actions the caller may take now (`update` = PATCH); assignments and claims carry their own."""
    if "case_offers" not in context:
        context["case_offers"] = _names(actions.available(context["request"].user, case, ask=context["ask"]))
    return context["case_offers"]


def target_actions(context: dict, target) -> tuple[list[str], list[str]]:
    """An assignment's, a claim's or a request's actions the caller may take now."""
    cache = context.setdefault("target_offers", {})
    key = (type(target).__name__, target.pk)
    if key not in cache:
        case, ask = context.get("case"), context.get("ask")
        if ask is None or case is None:
            cache[key] = _names(actions.available_for(context["request"].user, target))
        else:
            if hasattr(target, "case_id"):
                target.case = case
            cache[key] = _names(actions.available_for(context["request"].user, target, case=case, ask=ask))
    return cache[key]


# --- small references -----------------------------------------------------------------------------------


class CongressRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class DeputyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PlaceRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    short_name = serializers.CharField()


class StationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


def _redacted(context: dict, case: Case, text: str) -> str:
    """Text as the caller may read it (`privacy.reads_identity`): whole for who sees the family, else with
    identities removed — as on the case page."""
    return text if context.get("sees_identity") else redact(text, case)


class BeneficiaryOutSerializer(serializers.Serializer):
    """What `privacy.beneficiary_for` lets the caller see: everything (`full`), the delivery contact of a
    donor holding a live claim (no ID number), or masked values."""

    kind = serializers.CharField()
    group = serializers.CharField()
    name = serializers.CharField()
    id_number = serializers.CharField(required=False)
    phone = serializers.CharField()
    address = serializers.CharField()
    full = serializers.BooleanField()


class DocumentOutSerializer(serializers.Serializer):
    """A file's metadata; the file itself only through `download_url`, which checks the caller again."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Document.Kind.choices)
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    assignment = serializers.IntegerField(source="assignment_id", allow_null=True)
    claim = serializers.IntegerField(source="claim_id", allow_null=True)
    uploaded_at = serializers.DateTimeField()
    download_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, document: Document) -> str:
        url = reverse("api:case-document-download", args=[document.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


def case_context(request, case: Case) -> dict:
    """What the case serializer needs, computed once per request."""
    rules = rules_of(request.user, case)
    today = clock.today()
    return {
        "request": request,
        "case": case,
        "rules": rules,
        "sees_identity": reads_identity(request.user, case, sees_family=rules["cases.view_beneficiary"]),
        "claimant_only": sees_claims_only(request.user),
        "case_rules": R.rules_for(case.congress),
        "today": today,
        "ask": actions.Ask(request.user, case, today),
    }
