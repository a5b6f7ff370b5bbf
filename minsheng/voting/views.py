"""Pages of the votes (民生实事项目票决制): staff run solicitations, screening, candidates and votes; deputies cast
their secret ballot on a phone; the public proposes projects, reads published results and checks a receipt.

Views translate input and output only: every write is one service of services.py (imported lazily). Every
object is scoped to the caller by selectors.py (another congress's solicitation or vote answers 404), and the
controls a page shows are the offers of actions.py (`data-action="<name>"`), the rule the services ask too.
Nothing on any page tells who voted how: the ballot page shows only THAT the caller has voted.
"""

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from minsheng.accounts.permissions import Role, has_role, staff_scope_prefix
from minsheng.common.dbrouter import use_replica
from minsheng.common.errors import DomainError, PermissionDenied, TransitionNotAllowed
from minsheng.common.export import xlsx_response
from minsheng.common.pagecache import public_page
from minsheng.common.paging import paginate

from . import actions, pages, rules, selectors
from . import forms as F
from .models import Elector, Proposal, Solicitation, VoteSession
from .selectors import (  # noqa: F401 (result_context, vote_counts: the names the templates' tests know)
    deputy_elector,
    result_sheet,
    staff_solicitations,
    staff_votes,
    vote_counts,
    vote_threshold,
)

result_context = result_sheet

MIN_FILL_SECONDS = 3
FORM_STAMP_SALT = "voting.propose"


def _services():
    from . import services

    return services


# --- scope ---------------------------------------------------------------------------------------------


def _require_staff(user):
    if staff_scope_prefix(user) is None:
        raise PermissionDenied(_("Only congress staff may do this."))


def _staff_solicitation(request, pk):
    _require_staff(request.user)
    return get_object_or_404(staff_solicitations(request.user).select_related("congress"), pk=pk)


def _staff_vote(request, pk):
    _require_staff(request.user)
    return get_object_or_404(
        staff_votes(request.user).select_related("congress", "session", "solicitation"), pk=pk
    )


def _offers(user, obj) -> dict:
    """{name: Offer} of every action (offered or not): templates show the offered ones, and the reason of a
    refusal where it helps (closing without the quorum)."""
    return actions.offers(user, obj)


def _act(request, call, ok_message, **kwargs):
    """Run one service; a refusal becomes a message (nothing changed). Returns (result, error)."""
    try:
        result = call(actor=request.user, **kwargs)
    except DomainError as exc:
        messages.error(request, exc.message)
        return None, exc
    if ok_message:
        messages.success(request, ok_message)
    return result, None


# --- staff ------------------------------------------------------------------------------------------------


@login_required
def index(request):
    """Staff: the solicitations and votes of the congresses in scope. Deputies: the votes they belong to."""
    if staff_scope_prefix(request.user) is not None:
        solicitations = staff_solicitations(request.user).select_related("congress")
        year = request.GET.get("year", "")
        if year.isdigit():
            solicitations = solicitations.filter(year=int(year))
        votes = staff_votes(request.user).select_related("congress", "session").order_by("-created_at")[:50]
        return render(
            request,
            "voting/index.html",
            {**paginate(request, solicitations, per_page=25), "votes": votes, "year": year},
        )
    if has_role(request.user, Role.DEPUTY) and request.user.deputy_id:
        electors = (
            Elector.objects.filter(deputy_id=request.user.deputy_id)
            .select_related("vote", "vote__congress")
            .order_by("-vote__created_at")
        )
        return render(request, "voting/my_votes.html", {"electors": electors})
    raise PermissionDenied(_("Only congress staff and deputies have votes."))


@login_required
@require_http_methods(["GET", "POST"])
def solicitation_create(request):
    _require_staff(request.user)
    prefix = staff_scope_prefix(request.user)
    form = F.SolicitationForm(request.POST or None, prefix_scope=prefix)
    if request.method == "POST" and form.is_valid():
        result, error = _act(
            request, _services().solicitation_create, _("The solicitation was created."), **form.cleaned_data
        )
        if result is not None:
            return redirect("voting:solicitation", result.pk)
        form.add_error(getattr(error, "field", None), error.message)
    return render(request, "voting/form.html", {"form": form, "title": _("New solicitation")})


@login_required
def solicitation_detail(request, pk):
    solicitation = _staff_solicitation(request, pk)
    proposals = solicitation.proposals.select_related("place", "deputy").order_by("status", "-created_at")
    status = request.GET.get("status", "")
    if status in Proposal.Status.values:
        proposals = proposals.filter(status=status)
    page = paginate(request, proposals, per_page=25)
    for proposal in page["object_list"]:
        proposal.solicitation = solicitation  # one congress for all: no query per proposal
        proposal.actions = actions.offered(request.user, proposal)
    context = {
        "solicitation": solicitation,
        "actions": actions.offered(request.user, solicitation),
        **page,
        "candidates": solicitation.candidates.select_related("lead_unit", "place"),
        "votes": solicitation.votes.select_related("session").order_by("-created_at"),
        "screen_form": F.ScreenForm(),
        "status": status,
        "statuses": Proposal.Status.choices,
    }
    return render(request, "voting/solicitation.html", context)


@login_required
@require_POST
def solicitation_open(request, pk):
    solicitation = _staff_solicitation(request, pk)
    _act(
        request,
        _services().solicitation_open,
        _("The solicitation is open."),
        solicitation_id=solicitation.pk,
    )
    return redirect("voting:solicitation", solicitation.pk)


@login_required
@require_POST
def solicitation_close(request, pk):
    solicitation = _staff_solicitation(request, pk)
    _act(
        request,
        _services().solicitation_close,
        _("The solicitation is closed."),
        solicitation_id=solicitation.pk,
    )
    return redirect("voting:solicitation", solicitation.pk)


@login_required
@require_POST
def proposal_screen(request, pk):
    _require_staff(request.user)
    proposal = get_object_or_404(
        Proposal.objects.filter(solicitation__in=staff_solicitations(request.user)), pk=pk
    )
    form = F.ScreenForm(request.POST)
    if form.is_valid():
        _act(
            request,
            _services().proposal_screen,
            _("The proposal was screened."),
            proposal_id=proposal.pk,
            **form.cleaned_data,
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("voting:solicitation", proposal.solicitation_id)


@login_required
@require_http_methods(["GET", "POST"])
def candidate_add(request, pk):
    solicitation = _staff_solicitation(request, pk)
    form = F.CandidateForm(request.POST or None, solicitation=solicitation)
    if request.method == "POST" and form.is_valid():
        result, error = _act(
            request,
            _services().candidate_add,
            _("The candidate project was added."),
            solicitation_id=solicitation.pk,
            **form.cleaned_data,
        )
        if error is None:
            return redirect("voting:solicitation", solicitation.pk)
        form.add_error(None, error.message)
    return render(
        request,
        "voting/form.html",
        {"form": form, "title": _("Add a candidate project"), "solicitation": solicitation},
    )


@login_required
@require_http_methods(["GET", "POST"])
def vote_create(request, pk):
    solicitation = _staff_solicitation(request, pk)
    form = F.VoteForm(request.POST or None, solicitation=solicitation)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["candidate_ids"] = [c.pk for c in data.pop("candidates")]
        result, error = _act(
            request,
            _services().vote_create,
            _("The vote was prepared."),
            solicitation_id=solicitation.pk,
            **data,
        )
        if result is not None:
            return redirect("voting:vote", result.pk)
        form.add_error(None, error.message)
    return render(
        request, "voting/form.html", {"form": form, "title": _("New vote"), "solicitation": solicitation}
    )


@login_required
def vote_detail(request, pk):
    vote = _staff_vote(request, pk)
    counts = vote_counts(vote)
    context = {
        "vote": vote,
        "counts": counts,
        "offers": _offers(request.user, vote),
        "threshold": vote_threshold(vote) if vote.electorate else None,
        "candidates": vote.candidates.select_related("lead_unit", "place"),
    }
    return render(request, "voting/vote.html", context)


@login_required
@require_POST
def vote_open(request, pk):
    vote = _staff_vote(request, pk)
    _act(request, _services().vote_open, _("The ballot is open."), vote_id=vote.pk)
    return redirect("voting:vote", vote.pk)


@login_required
@require_http_methods(["GET", "POST"])
def vote_close(request, pk):
    """A confirmation page, then the single act of closing (no ballot is accepted after it)."""
    vote = _staff_vote(request, pk)
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the box to confirm closing the ballot."))
            return redirect("voting:close", vote.pk)
        _result, error = _act(request, _services().vote_close, _("The ballot is closed."), vote_id=vote.pk)
        if error is None:
            return redirect("voting:result", vote.pk)
        return redirect("voting:vote", vote.pk)
    counts = vote_counts(vote)
    quorum = rules.vote_quorum(vote, counts["present"])
    context = {
        "vote": vote,
        "counts": counts,
        "no_quorum": rules.no_quorum_message(quorum),
        "close": actions.offer(request.user, "close", vote),
    }
    return render(request, "voting/close.html", context)


@login_required
@require_POST
def vote_publish(request, pk):
    vote = _staff_vote(request, pk)
    _act(request, _services().vote_publish, _("The result is published."), vote_id=vote.pk)
    return redirect("voting:result", vote.pk)


@login_required
@require_POST
def runoff_decide(request, pk):
    vote = _staff_vote(request, pk)
    form = F.RunoffForm(request.POST)
    if form.is_valid():
        runoff, _error = _act(
            request,
            _services().runoff_decide,
            _("The presidium's decision was recorded."),
            vote_id=vote.pk,
            **form.cleaned_data,
        )
        if isinstance(runoff, VoteSession) and runoff.pk != vote.pk:
            return redirect("voting:vote", runoff.pk)  # the further ballot, in preparation
    else:
        messages.error(request, _("Write down the presidium's decision."))
    return redirect("voting:result", vote.pk)


@login_required
def checkin(request, pk):
    """The electorate with a check-in button (and a paper-ballot button) per deputy, and a live count."""
    vote = _staff_vote(request, pk)
    electors = selectors.electors_of(vote).select_related("deputy").order_by("deputy__name")
    query = request.GET.get("q", "").strip()
    if query:
        electors = electors.filter(deputy__name__icontains=query)
    offers = actions.offered(request.user, vote)
    page = paginate(request, electors)
    for elector in page["object_list"]:
        elector.actions = [
            name
            for name in ("check_in", "paper_collected")
            if name in offers and elector.deputy_id in offers[name].choices["deputies"]
        ]
    context = {"vote": vote, "counts": vote_counts(vote), "query": query, "offers": offers, **page}
    return render(request, "voting/checkin.html", context)


@login_required
def checkin_count(request, pk):
    """The 应到/实到 block alone, refreshed by htmx every few seconds."""
    vote = _staff_vote(request, pk)
    return render(request, "voting/_counts.html", {"vote": vote, "counts": vote_counts(vote)})


@login_required
@require_POST
def checkin_deputy(request, pk, deputy_id):
    vote = _staff_vote(request, pk)
    _act(request, _services().elector_check_in, _("Checked in."), vote_id=vote.pk, deputy_id=deputy_id)
    return redirect(_back(request, "voting:checkin", vote.pk))


@login_required
@require_POST
def paper_collected(request, pk, deputy_id):
    vote = _staff_vote(request, pk)
    _act(
        request,
        _services().paper_ballot_collected,
        _("The paper ballot was marked collected."),
        vote_id=vote.pk,
        deputy_id=deputy_id,
    )
    return redirect(_back(request, "voting:checkin", vote.pk))


def _back(request, name, pk):
    from django.urls import reverse
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse(name, args=[pk])


@login_required
@require_http_methods(["GET", "POST"])
def paper_entry(request, pk):
    """One staff member's entry of a paper ballot; tells whether it matched the other staff member's entry."""
    vote = _staff_vote(request, pk)
    entry = actions.offer(request.user, "paper_entry", vote)
    candidates = list(vote.candidates.order_by("number"))
    form = F.BallotForm(request.POST or None, vote=vote, candidates=candidates, with_serial=True)
    if request.method == "POST" and form.is_valid():
        try:
            matched = _services().paper_entry_add(
                actor=request.user,
                vote_id=vote.pk,
                serial=form.cleaned_data["serial"],
                choices=form.choices(),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = 409 if isinstance(exc, TransitionNotAllowed) else 400
            context = {"vote": vote, "form": form, "entry": entry}
            return render(request, "voting/paper.html", context, status=status)
        if not matched:
            messages.info(
                request, _("Entry saved. It counts once a second staff member enters the same paper.")
            )
        else:
            messages.success(request, _("Entry matched the other staff member's: the paper ballot counts."))
        return redirect("voting:paper", vote.pk)
    return render(request, "voting/paper.html", {"vote": vote, "form": form, "entry": entry})


@login_required
def result(request, pk):
    """The result sheet for staff (printable), with publishing and the presidium's decision."""
    vote = _staff_vote(request, pk)
    if vote.status not in (VoteSession.Status.CLOSED, VoteSession.Status.PUBLISHED):
        messages.info(request, _("The result sheet exists once the ballot is closed."))
        return redirect("voting:vote", vote.pk)
    context = result_context(vote)
    offers = actions.offered(request.user, vote)
    decide = offers.get("runoff_decide")
    context.update(
        staff=True,
        offers=offers,
        runoff_form=F.RunoffForm(decisions=tuple(decide.choices["hold"])) if decide else None,
    )
    return render(request, "voting/result.html", context)


# --- deputies ---------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def ballot(request, pk):
    """The secret ballot. After casting, the receipt is shown once; afterwards only 'you have voted'."""
    elector = deputy_elector(request.user, pk)
    vote = elector.vote
    cast = actions.offer(request.user, "cast", vote)
    candidates = list(vote.candidates.select_related("lead_unit", "place").order_by("number"))
    context = {"vote": vote, "elector": elector, "candidates": candidates, "cast": cast}
    if not cast.allowed:
        if request.method == "POST":
            messages.error(
                request,
                _("You have already voted.") if elector.has_voted else _("The ballot is not open."),
            )
        return render(request, "voting/ballot.html", context, status=409 if request.method == "POST" else 200)
    form = F.BallotForm(request.POST or None, vote=vote, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            receipt = _services().ballot_cast(actor=request.user, vote_id=vote.pk, choices=form.choices())
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = 409 if isinstance(exc, TransitionNotAllowed) else 400
            return render(request, "voting/ballot.html", {**context, "form": form}, status=status)
        receipt = getattr(receipt, "receipt", receipt)
        return render(request, "voting/receipt_once.html", {"vote": vote, "receipt": receipt})
    status = 400 if request.method == "POST" else 200
    return render(request, "voting/ballot.html", {**context, "form": form}, status=status)


# --- the public -------------------------------------------------------------------------------------------


def _stamp() -> str:
    return signing.TimestampSigner(salt=FORM_STAMP_SALT).sign(str(int(time.time())))


def _too_fast_or_forged(stamp: str) -> bool:
    try:
        signing.TimestampSigner(salt=FORM_STAMP_SALT).unsign(stamp, max_age=60 * 60 * 6)
        value = int(stamp.split(":")[0])
    except (signing.BadSignature, ValueError):
        return True
    return time.time() - value < MIN_FILL_SECONDS


@require_http_methods(["GET", "POST"])
def propose(request, pk):
    """The public's proposal form while the solicitation is open; a honeypot and a minimum fill time."""
    solicitation = get_object_or_404(
        Solicitation.objects.select_related("congress").exclude(status=Solicitation.Status.DRAFT), pk=pk
    )
    is_open = actions.offer(request.user, "propose", solicitation).allowed
    form = F.ProposalForm(request.POST or None, initial={"stamp": _stamp()}, solicitation=solicitation)
    if request.method == "POST":
        if not is_open:
            messages.error(request, _("The solicitation is closed."))
            return render(request, "voting/propose.html", {"solicitation": solicitation}, status=409)
        if form.is_valid():
            if form.cleaned_data.get("website") or _too_fast_or_forged(form.cleaned_data["stamp"]):
                form.add_error(None, _("Please take a moment to fill in the form, then send it again."))
                form.data = form.data.copy()
                form.data["stamp"] = _stamp()
                return render(
                    request, "voting/propose.html", {"solicitation": solicitation, "form": form}, status=400
                )
            data = {k: form.cleaned_data[k] for k in ("title", "description", "place")}
            try:
                _services().proposal_submit(actor=request.user, solicitation_id=solicitation.pk, **data)
            except DomainError as exc:
                form.add_error(None, exc.message)
                return render(
                    request, "voting/propose.html", {"solicitation": solicitation, "form": form}, status=400
                )
            return render(request, "voting/propose_thanks.html", {"solicitation": solicitation})
        return render(
            request, "voting/propose.html", {"solicitation": solicitation, "form": form}, status=400
        )
    return render(
        request, "voting/propose.html", {"solicitation": solicitation, "form": form if is_open else None}
    )


@use_replica
@public_page(pages.RESULTS)
def public_results(request):
    votes = (
        VoteSession.objects.filter(status=VoteSession.Status.PUBLISHED)
        .select_related("congress", "session")
        .order_by("-published_at")
    )
    open_solicitations = Solicitation.objects.filter(status=Solicitation.Status.OPEN).select_related(
        "congress"
    )
    return render(
        request,
        "voting/public_results.html",
        {**paginate(request, votes, per_page=25), "open_solicitations": open_solicitations},
    )


@use_replica
@public_page(pages.RESULTS)
def public_result(request, pk):
    vote = get_object_or_404(
        VoteSession.objects.filter(status=VoteSession.Status.PUBLISHED).select_related("congress", "session"),
        pk=pk,
    )
    return render(request, "voting/result.html", {**result_context(vote), "staff": False})


@require_http_methods(["GET", "POST"])
def receipt(request):
    """Enter a receipt code: counted or not, nothing more."""
    form = F.ReceiptForm(request.POST or None)
    status = None
    if request.method == "POST" and form.is_valid():
        status = _services().receipt_status(receipt=form.cleaned_data["receipt"]) or "unknown"
    return render(request, "voting/receipt.html", {"form": form, "status": status})


# --- printable and spreadsheet result sheets ----------------------------------------------------------------


def _counted_vote(request, pk):
    """A closed vote of the caller's congresses (staff), or any published vote (everyone)."""
    counted = (VoteSession.Status.CLOSED, VoteSession.Status.PUBLISHED)
    if staff_scope_prefix(request.user) is not None:
        vote = staff_votes(request.user).filter(pk=pk, status__in=counted).first()
        if vote is not None:
            return vote
    return get_object_or_404(VoteSession.objects.filter(status=VoteSession.Status.PUBLISHED), pk=pk)


@use_replica
def result_pdf(request, pk):
    """The result announcement as an A4 PDF: the counts, lines for the 监票人 and 计票人 to sign, and the
    presidium's 公章 block with the date of the count (`common.printing`)."""
    from django.utils import timezone

    from minsheng.common import printing

    vote = _counted_vote(request, pk)
    signers = [printing.signer(_("Scrutineer (signature)")) for _i in range(2)]
    signers += [printing.signer(_("Teller (signature)")) for _i in range(2)]
    context = {
        **result_context(vote),
        "signers": signers,
        "presidium": _("The presidium of %(session)s") % {"session": vote.session},
        "counted_on": timezone.localdate(vote.closed_at) if vote.closed_at else None,
    }
    content = printing.render_pdf("voting/result_pdf.html", context, request=request)
    filename = _("vote-result-%(title)s.pdf") % {"title": printing.safe_name(vote.title)}
    return printing.pdf_response(content, filename)


@use_replica
def result_xlsx(request, pk):
    vote = _counted_vote(request, pk)
    context = result_context(vote)
    headers = [_("Rank"), _("Number"), _("Project"), _("Lead unit"), _("For"), _("Against"), _("Abstain")]
    headers += [_("Satisfied"), _("Mostly satisfied"), _("Dissatisfied"), _("Outcome")]
    rows = [
        [
            r.rank,
            r.candidate.number,
            r.candidate.title,
            r.candidate.lead_unit.name,
            r.votes_for,
            r.votes_against,
            r.abstentions,
            r.satisfied,
            r.mostly,
            r.dissatisfied,
            r.get_outcome_display(),
        ]
        for r in context["results"]
    ]
    rows += [[], *([label, value] for label, value in result_summary(context))]
    return xlsx_response(
        headers, rows, filename=_("vote-result-%(id)s.xlsx") % {"id": vote.pk}, title=_("Result")
    )


def result_summary(context) -> list[tuple[str, object]]:
    """The result sheet's summary lines under the table of the Excel export (the page and the PDF show the
    same figures): 应到, 实到 against the quorum, the threshold, the seats left empty."""
    vote, counts = context["vote"], context["counts"]
    lines: list[tuple[str, object]] = [
        (_("Expected (应到)"), vote.electorate),
        (_("Present (实到)"), counts["present"]),
        (_("Quorum (present needed)"), f"{counts['required']} ({counts['quorum']})"),
        (_("Ballots cast"), counts["ballots"]),
        (_("Projects to choose (N)"), vote.seats),
    ]
    if not context["satisfaction"]:
        lines.append((_("Threshold (votes For needed)"), context["threshold"]))
        lines.append((_("Seats left to fill at a later session (空缺)"), context["shortfall"]))
        if context["runoff_required"]:
            lines.append((_("Further ballot"), _("Required: candidates are tied for the last seat")))
    if vote.presidium_decision:
        lines.append((_("The presidium's decision"), vote.presidium_decision))
    return lines
