"""The public pages, without sign-in: the wish wall (and a donor's claim from it) and the published answers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from minsheng.accounts.permissions import Role, has_role
from minsheng.common.dbrouter import use_replica
from minsheng.common.errors import DomainError, TransitionNotAllowed
from minsheng.common.pagecache import public_page
from minsheng.common.paging import paginate
from minsheng.common.permissions import can, ensure
from minsheng.places.models import Place

from .. import forms as F
from .. import privacy, selectors, services
from ..models import Answer, Case
from ..pages import ANSWERS, WALL
from ..rules import rules_for
from ._base import PAGE_SIZE, _city_prefix

WALL_PAGE_SIZE = 24


# --- the wish wall and published answers (public) ----------------------------------------------------------


def _townships():
    return (
        Place.objects.filter(
            level=Place.Level.TOWNSHIP, code__startswith=_city_prefix(), is_administrative=True
        )
        .select_related("parent")
        .only("code", "name", "parent__name", "parent_id")
        .order_by("code")
    )


def wall_card(case: Case) -> dict:
    """What the wall shows of a wish — and nothing else: never the title, content, beneficiary, photos, village."""
    township = privacy.township_of(case.place)
    remaining = selectors.open_amount(case)
    if case.realised_at:
        state, state_label = "realised", _("Realised")
    elif remaining <= 0:
        state, state_label = "claimed", _("Claimed")
    else:
        state, state_label = "open", _("Needs help")
    return {
        "pk": case.pk,
        "label": privacy.wall_label(case),
        "summary": privacy.redact(case.public_summary, case),
        "category": case.get_category_display(),
        "township": township.name if township else "",
        "amount": case.amount,
        "open_amount": remaining,
        "state": state,
        "state_label": state_label,
        "on_wall_at": case.on_wall_at,
    }


@use_replica
@require_GET
@public_page(WALL)
def wall(request):
    """心愿墙: the verified wishes staff put on the wall, with nothing that identifies a family."""
    form = F.WallFilterForm(request.GET or None, townships=_townships())
    context = paginate(request, selectors.wall_list(**form.filters()), per_page=WALL_PAGE_SIZE)
    context.update({"form": form, "cards": [wall_card(c) for c in context["object_list"]]})
    return render(request, "cases/wall.html", context)


def _wall_case(pk: int) -> Case:
    case = selectors.wall_list(state="").filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def _render_wall_detail(request, case: Case, *, form=None, status: int = 200):
    user = request.user
    card = wall_card(case)
    context = {
        "card": card,
        "can_claim": can(user, "cases.claim", case),
        "is_donor": has_role(user, Role.DONOR),
        "open_for_claims": card["state"] == "open" and case.is_open,
        "my_claim": (
            selectors.claims_held_by(user).filter(case=case).first() if user.is_authenticated else None
        ),
        "form": form or F.ClaimForm(initial={"amount": card["open_amount"]}),
    }
    return render(request, "cases/wall_detail.html", context, status=status)


@use_replica
@require_GET
@public_page(WALL)
def wall_detail(request, pk: int):
    """A wish's public page, with the claim button for verified donors."""
    return _render_wall_detail(request, _wall_case(pk))


@login_required
@require_POST
def claim(request, pk: int):
    """认领 / 认捐 from the wall: a verified donor takes the whole wish or pledges a share."""
    user = request.user
    case = _wall_case(pk)
    ensure(user, "cases.claim", case)
    form = F.ClaimForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.claim_create(actor=user, case_id=case.pk, kind=data["kind"], amount=data.get("amount"))
        except TransitionNotAllowed as exc:
            messages.error(request, str(exc.message))
            return _render_wall_detail(request, _wall_case(pk), status=exc.status_code)
        except DomainError as exc:
            F.add_domain_error(form, exc)
            status = exc.status_code
        else:
            messages.success(
                request,
                _("Thank you! The wish is yours to deliver: the family's contact is on your claims page."),
            )
            return redirect("cases:claims")
    return _render_wall_detail(request, _wall_case(pk), form=form, status=status)


def _published():
    return (
        selectors.published_list()
        .select_related("beneficiary")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("assignment__unit").order_by("round", "answered_at"),
            )
        )
    )


def public_answer(case: Case, *, full: bool) -> dict:
    """A published case as the public sees it: identities removed by privacy.redact, no deputy contact."""
    rules = rules_for(case.congress) if full else None
    return {
        "pk": case.pk,
        "number": case.number,
        "kind": case.get_kind_display(),
        "congress": case.congress.name,
        "title": privacy.redact(case.title, case),
        "content": privacy.redact(case.content, case) if full else "",
        "published_at": case.published_at,
        "answers": [
            {
                "unit": a.assignment.unit.name,
                "answer_class": a.answer_class,
                "class_label": rules.answer_class_label(a.answer_class) if rules else "",
                "text": privacy.redact(a.text, case) if full else "",
                "answered_at": a.answered_at,
                "round": a.round,
            }
            for a in case.answers.all()
        ],
    }


@use_replica
@require_GET
@public_page(ANSWERS)
def answers(request):
    """Published answers, searchable (segmented full-text search over title and content)."""
    form = F.AnswerSearchForm(request.GET or None)
    q = form.cleaned_data.get("q", "") if form.is_valid() else ""
    cases = _published()
    if q:
        from ..search import filter_by_text

        cases = filter_by_text(cases, q)
    context = paginate(request, cases, per_page=PAGE_SIZE)
    context.update({"form": form, "rows": [public_answer(c, full=False) for c in context["object_list"]]})
    return render(request, "cases/answers.html", context)


@use_replica
@require_GET
@public_page(ANSWERS)
def answer_public(request, pk: int):
    case = _published().filter(pk=pk).first()
    if case is None:
        raise Http404
    return render(request, "cases/answer_public.html", {"item": public_answer(case, full=True)})
