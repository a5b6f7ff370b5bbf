"""REST API of the votes (民生实事项目票决制).

- /api/v1/solicitations/: staff see their congresses' windows, everyone the open ones.
- /api/v1/proposals/: staff read and screen their congresses' proposals; anyone POSTs a proposal while the
  window is open (`website` is a honeypot and must stay empty).
- /api/v1/candidates/: staff read and add candidate projects; a deputy reads those of his or her votes.
- /api/v1/votes/: the caller's votes (staff by region, a deputy his or her electorate's, everyone the published
  ones); staff steps as POST sub-routes (open, close, publish, check-in, paper-collected, paper-entry,
  runoff-decision), the deputy's ballot (POST ballot/ → the receipt code) and the result sheet (GET result/:
  published for everyone, closed for staff).
- /api/v1/receipts/check/: POST a receipt code → counted or not, nothing more.

One solicitation, proposal or vote (GET one) carries `available_actions`: what the caller may do with it now
and with which choices (actions.py, the rule the pages render and the services ask).

Errors: 400 bad input, 403 not allowed, 404 outside the caller's scope, 409 an illegal move; nothing changed.
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from minsheng.common.api import ERRORS
from minsheng.common.errors import DomainError, PermissionDenied
from minsheng.places.models import Place

from . import selectors
from . import serializers as S
from .models import Candidate, Proposal, Solicitation, VoteSession
from .selectors import result_sheet, staff_solicitations, vote_counts


def _services():
    from . import services

    return services


def _place(pk):
    return get_object_or_404(Place, pk=pk) if pk else None


@extend_schema_view(
    list=extend_schema(summary="Solicitation windows: staff their congresses', everyone the open ones"),
    retrieve=extend_schema(summary="One solicitation window"),
)
class SolicitationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = S.SolicitationSerializer
    permission_classes = [permissions.AllowAny]

    def get_serializer_class(self):
        return S.SolicitationDetailSerializer if self.action == "retrieve" else S.SolicitationSerializer

    def get_queryset(self):
        return selectors.solicitations_for(self.request.user).order_by("-year", "congress__region_prefix")


@extend_schema_view(
    list=extend_schema(summary="Proposals of the caller's congresses (staff)"),
    retrieve=extend_schema(summary="One proposal (staff)"),
)
class ProposalViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = S.ProposalSerializer

    def get_serializer_class(self):
        return S.ProposalDetailSerializer if self.action == "retrieve" else S.ProposalSerializer

    def get_permissions(self):
        if self.action == "create":
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    def get_queryset(self):
        return (
            Proposal.objects.filter(solicitation__in=staff_solicitations(self.request.user))
            .select_related("solicitation")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(
        summary="Propose a project (anyone, while the window is open)",
        request=S.ProposalCreateSerializer,
        responses={201: S.ProposalSerializer, **ERRORS},
    )
    def create(self, request, *args, **kwargs):
        data = S.ProposalCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values.get("website"):
            raise DomainError(_("This proposal looks automated and was not saved."), code="honeypot")
        solicitation = get_object_or_404(Solicitation, pk=values["solicitation"])
        proposal = _services().proposal_submit(
            actor=request.user,
            solicitation_id=solicitation.pk,
            title=values["title"],
            description=values["description"],
            place=_place(values.get("place")),
        )
        return Response(S.ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Screen a proposal: accept, or reject with a reason (staff)",
        request=S.ScreenSerializer,
        responses={200: S.ProposalSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def screen(self, request, pk=None):
        proposal = self.get_object()
        data = S.ScreenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        proposal = _services().proposal_screen(
            actor=request.user, proposal_id=proposal.pk, **data.validated_data
        )
        return Response(S.ProposalSerializer(proposal).data)


@extend_schema_view(
    list=extend_schema(
        summary="Candidate projects: staff their congresses', a deputy those of his or her votes"
    ),
    retrieve=extend_schema(summary="One candidate project"),
)
class CandidateViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = S.CandidateSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        user = self.request.user
        visible = Q(solicitation__in=staff_solicitations(user)) | Q(
            vote_sessions__in=selectors.votes_for(user).values("pk")
        )
        ids = Candidate.objects.filter(visible).values("pk")
        return (
            Candidate.objects.filter(pk__in=ids)
            .select_related("lead_unit")
            .order_by("solicitation", "number")
        )

    @extend_schema(
        summary="Add a candidate project (staff)",
        request=S.CandidateCreateSerializer,
        responses={201: S.CandidateSerializer, **ERRORS},
    )
    def create(self, request, *args, **kwargs):
        data = S.CandidateCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        solicitation = get_object_or_404(staff_solicitations(request.user), pk=values.pop("solicitation"))
        values["place"] = _place(values.get("place"))
        candidate = _services().candidate_add(actor=request.user, solicitation_id=solicitation.pk, **values)
        return Response(S.CandidateSerializer(candidate).data, status=status.HTTP_201_CREATED)


def _result_sheet(vote) -> dict:
    """The result sheet: the same figures and rules as the page (selectors.result_sheet)."""
    context = result_sheet(vote)
    counts, outcome = context["counts"], context["outcome"]
    return {
        "vote": vote.pk,
        "kind": vote.kind,
        "status": vote.status,
        "electorate": vote.electorate,
        "present": counts["present"],
        "quorum": counts["quorum"],
        "quorum_required": counts["required"],
        "ballots": counts["ballots"],
        "seats": vote.seats,
        "threshold": context["threshold"],
        "tie_rule": vote.tie_rule,
        "tied": [int(c) for c in outcome.tied] if outcome else [],
        "further_ballot_required": context["runoff_required"],
        "shortfall": context["shortfall"],
        "decisions": ["hold" if d else "leave_empty" for d in context["decisions"]],
        "presidium_decision": vote.presidium_decision,
        "results": S.CandidateResultSerializer(context["results"], many=True).data,
    }


@extend_schema_view(
    list=extend_schema(summary="Votes: staff by region, a deputy his or her own, everyone the published"),
    retrieve=extend_schema(summary="One vote"),
)
class VoteViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = S.VoteSerializer
    permission_classes = [permissions.AllowAny]

    def get_serializer_class(self):
        return S.VoteDetailSerializer if self.action == "retrieve" else S.VoteSerializer

    def get_queryset(self):
        return (
            selectors.votes_for(self.request.user)
            .prefetch_related("candidates")
            .order_by("-created_at", "-pk")
        )

    def get_permissions(self):
        if self.action in ("list", "retrieve", "result"):
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    def _move(self, service, **kwargs):
        vote = self.get_object()
        service(actor=self.request.user, vote_id=vote.pk, **kwargs)
        vote.refresh_from_db()
        return Response(S.VoteSerializer(vote).data)

    @extend_schema(
        summary="Open the ballot (staff)", request=None, responses={200: S.VoteSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        return self._move(_services().vote_open)

    @extend_schema(
        summary="Close the ballot and count (staff)",
        request=None,
        responses={200: S.VoteSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._move(_services().vote_close)

    @extend_schema(
        summary="Publish the result (staff)", request=None, responses={200: S.VoteSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._move(_services().vote_publish)

    @extend_schema(
        summary="Record the presidium's decision on a further ballot (staff)",
        request=S.RunoffSerializer,
        responses={
            200: OpenApiResponse(S.VoteSerializer, description="Seats left empty: the vote"),
            201: OpenApiResponse(S.VoteSerializer, description="The further ballot, in preparation"),
            **ERRORS,
        },
    )
    @action(detail=True, methods=["post"], url_path="runoff-decision")
    def runoff_decision(self, request, pk=None):
        vote = self.get_object()
        data = S.RunoffSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        runoff = _services().runoff_decide(actor=request.user, vote_id=vote.pk, **data.validated_data)
        if runoff is not None:
            return Response(S.VoteSerializer(runoff).data, status=status.HTTP_201_CREATED)
        vote.refresh_from_db()
        return Response(S.VoteSerializer(vote).data)

    @extend_schema(
        summary="Check a deputy in (staff)",
        request=S.DeputySerializer,
        responses={200: S.TurnoutSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        vote = self.get_object()
        data = S.DeputySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _services().elector_check_in(
            actor=request.user, vote_id=vote.pk, deputy_id=data.validated_data["deputy"]
        )
        return Response(vote_counts(vote))

    @extend_schema(
        summary="Mark a deputy's paper ballot collected (staff)",
        request=S.DeputySerializer,
        responses={200: S.TurnoutSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="paper-collected")
    def paper_collected(self, request, pk=None):
        vote = self.get_object()
        data = S.DeputySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _services().paper_ballot_collected(
            actor=request.user, vote_id=vote.pk, deputy_id=data.validated_data["deputy"]
        )
        return Response(vote_counts(vote))

    @extend_schema(
        summary="Enter a paper ballot; two matching entries by two staff make it count (staff)",
        request=S.PaperEntrySerializer,
        responses={200: S.PaperEntryResultSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="paper-entry")
    def paper_entry(self, request, pk=None):
        vote = self.get_object()
        data = S.PaperEntrySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        matched = _services().paper_entry_add(actor=request.user, vote_id=vote.pk, **data.validated_data)
        if not matched:
            detail = _("Entry saved. It counts once a second staff member enters the same paper.")
        else:
            detail = _("Entry matched the other staff member's: the paper ballot counts.")
        return Response({"matched": matched, "detail": detail})

    @extend_schema(
        summary="Cast the caller's secret ballot (a deputy of the electorate) → the receipt code",
        request=S.BallotSerializer,
        responses={201: S.ReceiptSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def ballot(self, request, pk=None):
        vote = self.get_object()
        data = S.BallotSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        receipt = _services().ballot_cast(actor=request.user, vote_id=vote.pk, **data.validated_data)
        return Response({"receipt": getattr(receipt, "receipt", receipt)}, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The result sheet: published for everyone, closed for the congress's staff",
        responses={200: S.ResultSheetSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get"])
    def result(self, request, pk=None):
        vote = self.get_object()
        visible = vote.status == VoteSession.Status.PUBLISHED or (
            vote.status == VoteSession.Status.CLOSED
            and staff_solicitations(request.user).filter(pk=vote.solicitation_id).exists()
        )
        if not visible:
            raise PermissionDenied(_("The result is not published yet."))
        return Response(_result_sheet(vote))

    @extend_schema(
        summary="应到 / 实到 / voted so far (staff)", responses={200: S.TurnoutSerializer, **ERRORS}
    )
    @action(detail=True, methods=["get"])
    def turnout(self, request, pk=None):
        vote = self.get_object()
        if not staff_solicitations(request.user).filter(pk=vote.solicitation_id).exists():
            raise PermissionDenied(_("Only the congress's staff see the turnout."))
        return Response(vote_counts(vote))


class ReceiptViewSet(viewsets.GenericViewSet):
    serializer_class = S.ReceiptSerializer
    permission_classes = [permissions.AllowAny]
    queryset = VoteSession.objects.none()

    @extend_schema(
        summary="Was the ballot with this receipt code counted? (anyone)",
        request=S.ReceiptSerializer,
        responses={200: S.ReceiptCheckSerializer, 400: ERRORS[400]},
    )
    @action(detail=False, methods=["post"])
    def check(self, request):
        data = S.ReceiptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        status = _services().receipt_status(receipt=data.validated_data["receipt"].strip())
        return Response({"counted": status is not None, "status": status or "unknown"})


routes = [
    ("solicitations", SolicitationViewSet, "solicitation"),
    ("proposals", ProposalViewSet, "proposal"),
    ("candidates", CandidateViewSet, "candidate"),
    ("votes", VoteViewSet, "vote"),
    ("receipts", ReceiptViewSet, "receipt"),
]
