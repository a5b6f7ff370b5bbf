"""The case page and its POST actions (one dispatcher, `case_action`: one service call each), and a case's
documents."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from minsheng.common import audit, clock, uploads
from minsheng.common.errors import DomainError, PermissionDenied, TransitionNotAllowed
from minsheng.common.permissions import can

from .. import actions, origins, privacy, selectors, services
from .. import forms as F
from ..models import (
    Assignment,
    Case,
    Cosigner,
    Document,
    ExtensionRequest,
    HandlingRecord,
    ReassignmentRequest,
)
from ..permissions import extension_cap_for, opinions_missing
from ..rules import rules_for
from ._base import _clock, case_clock
from .printing import printouts_for

# --- the case page -----------------------------------------------------------------------------------------


@dataclass
class Shown:
    """One action offered on the case page: a form posting to its own URL."""

    name: str
    label: str
    url: str
    form: object = None
    style: str = "outline-danger"
    note: str = ""
    target: object = None
    multipart: bool = False
    extra: dict = field(default_factory=dict)


def _detail_data(user, case: Case) -> dict:
    today = clock.today()
    claimant_only = privacy.sees_claims_only(user)
    assignments = list(
        case.assignments.select_related("unit", "answer", "answer__answered_by")
        .prefetch_related(
            Prefetch("records", queryset=HandlingRecord.objects.select_related("recorded_by")),
            Prefetch(
                "reassignment_requests",
                queryset=ReassignmentRequest.objects.select_related("requested_by", "decided_by"),
            ),
            Prefetch("extension_requests", queryset=ExtensionRequest.objects.order_by("requested_at", "id")),
        )
        .order_by("round", "id")
    )
    # The lead unit (or the split units) first, then the assisting units, round by round.
    assignments.sort(key=lambda a: (a.round, a.role == Assignment.Role.ASSISTING, a.pk))
    sees_family = can(user, "cases.view_beneficiary", case)
    documents = [
        d
        for d in case.documents.select_related("uploaded_by", "claim")
        if privacy.may_open_document(user, d, sees_family=sees_family)
    ]
    claims = list(case.claims.select_related("donor", "donor__donor_profile").order_by("created_at"))
    if claimant_only:
        claims = privacy.claims_seen_by(user, claims)
    ratings = list(case.ratings.select_related("deputy").order_by("round", "rated_at"))
    rules = rules_for(case.congress)
    for assignment in assignments:
        answer = getattr(assignment, "answer", None)
        assignment.the_answer = answer
        if answer is not None:
            answer.class_label = rules.answer_class_label(answer.answer_class)
        assisting = assignment.role == Assignment.Role.ASSISTING
        due = assignment.opinion_due if assisting else assignment.answer_due
        live = assignment.status in Assignment.LIVE
        assignment.clock = _clock(due, today, "opinion" if assisting else "answer") if live else None
        assignment.pending_requests = [
            r
            for r in assignment.reassignment_requests.all()
            if r.decision == ReassignmentRequest.Decision.PENDING
        ]
        assignment.extensions = list(assignment.extension_requests.all())
    history = []
    if not claimant_only:
        history = list(audit.history_of(case)[:200])
    # What of the case's texts the reader may read: privacy.py decides, as for the API. The rows below are
    # this page's own copies, never saved.
    read = privacy.text_for(user, case, sees_family=sees_family)
    verifications = [] if claimant_only else list(case.verifications.select_related("recorded_by"))
    follow_ups = (
        [] if claimant_only else list(case.follow_ups.select_related("recorded_by").order_by("-visited_on"))
    )
    supervision = [] if claimant_only else list(case.supervision.select_related("recorded_by"))
    for assignment in assignments:
        assignment.opinion = read(assignment.opinion)
        for record in assignment.records.all():
            record.note = read(record.note)
        if assignment.the_answer is not None:
            assignment.the_answer.text = read(assignment.the_answer.text)
    for v in verifications:
        v.visitors, v.findings = read(v.visitors), read(v.findings)
    for row in [*follow_ups, *supervision]:
        row.note = read(row.note)
    cosigner_links = list(case.cosigner_links.select_related("deputy").order_by("added_at", "id"))
    return {
        "case": case,
        "today": today,
        "rules": rules,
        "claimant_only": claimant_only,
        "clock": case_clock(case, today),
        # 联名: the case lists only the co-signers who confirmed; the lead deputy and staff also see who has
        # not answered yet; an invited deputy sees his or her own invitation.
        "cosigners": [link for link in cosigner_links if link.status == Cosigner.Status.CONFIRMED],
        "cosigners_invited": [link for link in cosigner_links if link.status == Cosigner.Status.INVITED]
        if can(user, "cases.file", case)
        else [],
        "my_invitation": next(
            (
                link
                for link in cosigner_links
                if link.status == Cosigner.Status.INVITED
                and link.deputy_id == getattr(user, "deputy_id", None)
            ),
            None,
        ),
        "extensions_granted": sum(
            1 for a in assignments for r in a.extensions if r.decision == ExtensionRequest.Decision.GRANTED
        ),
        "beneficiary": privacy.beneficiary_for(user, case),
        "title": read(case.title),
        "content": read(case.content),
        "status_note": read(case.status_note),
        "verifications": verifications,
        "documents": list(documents),
        "assignments": [] if claimant_only else assignments,
        "ratings": [] if claimant_only else ratings,
        "claims": list(claims),
        "follow_ups": follow_ups,
        "supervision": supervision,
        "history": history,
        "merged_into": case.merged_into,
    }


def _offered(user, data: dict, overrides: dict) -> tuple[list[Shown], dict]:
    """The actions the actor may take now, as `actions.py` answers (the API and the services ask the same):
    this only gives each its label, URL and form. Returns the case-level actions and, per assignment /
    request / extension / claim id, their own actions."""
    case: Case = data["case"]
    pk = case.pk
    today = data["today"]
    ask = actions.Ask(user, case, today, parts=data["assignments"] if not data["claimant_only"] else None)
    offers = actions.available(user, case, ask=ask)
    data["offers"] = offers
    shown: list[Shown] = []
    per_object: dict = {}

    def auto(key):
        return f"id_{key}_%s"

    def add(target_list, name, label, url, factory=None, **kw):
        key = kw.pop("key", name)
        form = overrides.get(key) or (factory() if factory else F.EmptyForm(auto_id=auto(key)))
        target_list.append(Shown(name=name, label=label, url=url, form=form, **kw))

    def url(name, *args):
        return reverse(f"cases:{name}", args=[pk, *args])

    reassigning = case.status == Case.Status.DISSATISFIED
    marked = case.is_priority
    case_shown: list[tuple[str, str, Callable | None, dict]] = [
        ("cosign_confirm", _("Confirm co-signing (联名)"), None, {"style": "success"}),
        ("cosign_decline", _("Decline co-signing"), None, {"style": "outline-secondary"}),
        (
            "verify",
            _("Record the home visit (入户核实)"),
            lambda: F.VerifyForm(auto_id=auto("verify"), initial={"visited_on": today, "confirmed": True}),
            {"style": "danger"},
        ),
        (
            "file",
            _("File the case"),
            lambda: F.FileForm(case=case, auto_id=auto("file")),
            {"style": "danger"},
        ),
        ("accept", _("Accept (立案)"), None, {"style": "success"}),
        ("refuse", _("Do not accept"), lambda: F.RefuseForm(auto_id=auto("refuse")), {}),
        ("return", _("Return for revision"), lambda: F.NoteForm(auto_id=auto("return")), {}),
        ("merge", _("Merge into another case"), lambda: F.MergeForm(auto_id=auto("merge")), {}),
        (
            "assign",
            _("Reassign (重新交办)") if reassigning else _("Assign (交办)"),
            lambda: F.AssignForm(case=case, auto_id=auto("assign")),
            {"style": "danger"},
        ),
        ("close", _("Close without another round"), lambda: F.NoteForm(auto_id=auto("close")), {}),
        ("rate", _("Rate the answer"), lambda: F.RatingForm(auto_id=auto("rate")), {"style": "danger"}),
        (
            "put_on_wall",
            _("Put on the wish wall"),
            lambda: F.PutOnWallForm(
                auto_id=auto("put_on_wall"), initial={"public_summary": case.public_summary}
            ),
            {},
        ),
        (
            "close_unrated",
            _("Close as not rated (未反馈)"),
            lambda: F.CloseUnratedForm(auto_id=auto("close_unrated")),
            {
                "note": _("The deputy could rate the answer until %(date)s.")
                % {"date": case.rating_due.isoformat() if case.rating_due else "—"}
            },
        ),
        ("publish", _("Publish the answer"), None, {"style": "success"}),
        (
            "priority",
            _("Lift priority supervision") if marked else _("Mark for priority supervision (重点督办)"),
            lambda: F.PriorityForm(auto_id=auto("priority"), initial={"priority": "0" if marked else "1"}),
            {"style": "outline-secondary"} if marked else {},
        ),
        ("supervise", _("Record supervision (督办)"), lambda: F.SuperviseForm(auto_id=auto("supervise")), {}),
        (
            "follow_up",
            _("Record a follow-up visit (回访)"),
            lambda: F.FollowUpForm(auto_id=auto("follow_up"), initial={"visited_on": today}),
            {},
        ),
    ]
    for name, label, factory, kw in case_shown:
        if offers[name]:
            add(shown, name, label, url(name), factory, **kw)

    # A unit's part: acknowledge, ask for reassignment, record, opinion, answer, deliver, extension.
    part_shown: list[tuple[str, str, Callable, dict]] = [
        ("acknowledge", _("Acknowledge (签收)"), lambda a: None, {"style": "danger"}),
        (
            "request_reassignment",
            _("Ask for reassignment (申请调整)"),
            lambda a: F.ReasonForm(auto_id=auto(f"request_reassignment{a.pk}")),
            {},
        ),
        (
            "record",
            _("Record handling or a contact with the deputy"),
            lambda a: F.HandlingRecordForm(auto_id=auto(f"record{a.pk}"), initial={"happened_on": today}),
            {},
        ),
        (
            "opinion",
            _("Send the opinion to the lead unit"),
            lambda a: F.OpinionForm(auto_id=auto(f"opinion{a.pk}")),
            {"style": "danger"},
        ),
        (
            "answer",
            _("Answer (答复)"),
            lambda a: F.AnswerForm(rules=data["rules"], auto_id=auto(f"answer{a.pk}")),
            {"style": "danger"},
        ),
        (
            "fulfil_wish",
            _("The unit delivered the wish itself (政府兜底)"),
            lambda a: F.FulfilForm(auto_id=auto(f"fulfil_wish{a.pk}")),
            {"multipart": True},
        ),
        (
            "request_extension",
            _("Ask for an extension (延期)"),
            lambda a: F.ExtensionRequestForm(auto_id=auto(f"request_extension{a.pk}")),
            {},
        ),
    ]
    for a in data["assignments"]:
        if a.status not in Assignment.LIVE:
            continue
        part_offers = actions.available_for(user, a, case=case, ask=ask)
        # 协办: the page shows the missing units instead of the answer form.
        a.opinions_missing = (
            opinions_missing(a, today=today)
            if a.answers_the_case and a.status == Assignment.Status.HANDLING and can(user, "cases.handle", a)
            else []
        )
        notes = {
            "request_reassignment": _("Until %(date)s") % {"date": a.reassign_request_due.isoformat()},
            "request_extension": _("Before %(date)s; at the latest until %(cap)s")
            % {"date": a.answer_due.isoformat(), "cap": extension_cap_for(a).isoformat()},
        }
        mine: list[Shown] = []
        for name, label, factory, kw in part_shown:
            if part_offers[name]:
                build = (lambda a=a, factory=factory: factory(a)) if name != "acknowledge" else None
                extra = {**kw, **({"note": notes[name]} if name in notes else {})}
                add(mine, name, label, url(name, a.pk), build, key=f"{name}{a.pk}", **extra)
        if mine:
            per_object[("assignment", a.pk)] = mine
    if offers["upload"]:
        add(
            shown,
            "upload",
            _("Attach a photo or document"),
            url("upload"),
            lambda: F.UploadForm(handler="assignment" in offers["upload"].choices, auto_id=auto("upload")),
            style="outline-secondary",
            multipart=True,
        )
    if offers["withdraw"]:
        add(
            shown,
            "withdraw",
            _("Withdraw the case (撤回)"),
            url("withdraw"),
            lambda: F.WithdrawForm(auto_id=auto("withdraw")),
            style="outline-secondary",
            multipart=True,
        )
    for a in data["assignments"]:
        for request_ in a.pending_requests:
            if actions.available_for(user, request_, case=case, ask=ask)["decide_reassignment"]:
                decide: list[Shown] = []
                add(
                    decide,
                    "decide_reassignment",
                    _("Decide the request"),
                    url("decide_reassignment", request_.pk),
                    lambda r=request_: F.ReassignmentDecideForm(case=case, auto_id=auto(f"decide{r.pk}")),
                    key=f"decide{request_.pk}",
                    style="danger",
                )
                per_object[("request", request_.pk)] = decide
        for ext in a.extensions:
            ext.assignment = a
            if actions.available_for(user, ext, case=case, ask=ask)["decide_extension"]:
                decide_ext: list[Shown] = []
                add(
                    decide_ext,
                    "decide_extension",
                    _("Decide the extension"),
                    url("decide_extension", ext.pk),
                    lambda e=ext: F.ExtensionDecideForm(auto_id=auto(f"decide_extension{e.pk}")),
                    key=f"decide_extension{ext.pk}",
                    style="danger",
                    note=_("At the latest until %(cap)s") % {"cap": extension_cap_for(a).isoformat()},
                )
                per_object[("extension", ext.pk)] = decide_ext
    claim_shown: list[tuple[str, str, Callable | None, dict]] = [
        (
            "claim_withdraw",
            _("Withdraw the claim"),
            lambda c: F.ReasonForm(auto_id=auto(f"claim_withdraw{c.pk}")),
            {"style": "outline-secondary"},
        ),
        (
            "deliver",
            _("Record the delivery with photos"),
            lambda c: F.DeliverForm(auto_id=auto(f"deliver{c.pk}")),
            {"style": "danger", "multipart": True},
        ),
        ("confirm_delivery", _("Confirm the delivery (已实现)"), None, {"style": "success"}),
    ]
    for claim in data["claims"]:
        claim.case = case
        claim_offers = actions.available_for(user, claim, case=case, ask=ask)
        acts: list[Shown] = []
        for name, label, factory, kw in claim_shown:
            if claim_offers[name]:
                build = (lambda c=claim, factory=factory: factory(c)) if factory else None
                add(acts, name, label, url(name, claim.pk), build, key=f"{name}{claim.pk}", **kw)
        per_object[("claim", claim.pk)] = acts
    return shown, per_object


def _render_detail(request, case: Case, *, overrides: dict | None = None, status: int = 200):
    user = request.user
    data = _detail_data(user, case)
    shown, per_object = _offered(user, data, overrides or {})
    for assignment in data["assignments"]:
        assignment.actions = per_object.get(("assignment", assignment.pk), [])
        for request_ in assignment.pending_requests:
            request_.actions = per_object.get(("request", request_.pk), [])
        for ext in assignment.extensions:
            ext.actions = per_object.get(("extension", ext.pk), [])
    for claim in data["claims"]:
        claim.actions = per_object.get(("claim", claim.pk), [])
    data.update(
        {
            "actions": shown,
            "can_edit": data["offers"]["edit"].allowed,
            "on_wall": case.on_wall_at is not None and case.kind == Case.Kind.WISH,
            "origins": origins.origins_for(user, case),  # e.g. the reception it came from (activities)
            # the documents `cases.print` lets the user print
            "printouts": printouts_for(
                user, case, assignments=None if data["claimant_only"] else data["assignments"]
            ),
        }
    )
    return render(request, "cases/detail.html", data, status=status)


@login_required
@require_GET
def case_detail(request, pk: int):
    """The case page: who, what, where, deadlines, beneficiary (as privacy.py allows), documents, the units'
    work, answers, ratings, claims, follow-ups, supervision and the timeline; and the actions the actor may
    take now."""
    case = selectors.case_get_for(request.user, pk)
    return _render_detail(request, case)


def _refused(request, case: Case, exc: TransitionNotAllowed):
    messages.error(request, str(exc.message))
    return _render_detail(request, case, status=exc.status_code)


# --- the actions -------------------------------------------------------------------------------------------


@dataclass
class Action:
    """One POST action of the case page: its form, the service call, the message. Who may take it is
    `actions.py`'s answer, as on the page and in the API."""

    form: Callable  # (request, case, target) -> form
    run: Callable  # (user, case, target, cleaned_data) -> object
    done: str
    target: str = "case"  # or "assignment", "request", "claim"
    file_field: str | None = None


def _form(cls, **fixed):
    def build(request, case, target):
        kwargs = {key: value(case, target) if callable(value) else value for key, value in fixed.items()}
        return cls(request.POST, request.FILES, **kwargs)

    return build


def _upload_assignment(user, case):
    """The live assignment of the actor's unit, when a unit handler attaches evidence."""
    return actions.upload_assignment(user, case)


def _run_withdraw(user, case, target, data):
    with transaction.atomic():  # the letter first: a withdrawn case takes no more files
        if data.get("letter"):
            services.document_add(
                actor=user, case_id=case.pk, kind=Document.Kind.WITHDRAWAL, upload=data["letter"]
            )
        services.case_withdraw(actor=user, case_id=case.pk, reason=data["reason"])


def _run_upload(user, case, target, data):
    assignment = _upload_assignment(user, case)
    return services.document_add(
        actor=user,
        case_id=case.pk,
        kind=data["kind"],
        upload=data["file"],
        assignment_id=assignment.pk if assignment else None,
    )


def _assign_kwargs(data: dict) -> dict:
    if data["mode"] == "split":
        return {"split": list(data["split"]), "hard": data["hard"]}
    return {"lead": data["lead"], "assisting": list(data["assisting"]), "hard": data["hard"]}


def _run_decide(user, case, target, data):
    reassign_to = data["reassign_to"] if data["decision"] == "reassign" else None
    return services.reassignment_decide(
        actor=user, request_id=target.pk, reassign_to=reassign_to, note=data["note"]
    )


ACTIONS: dict[str, Action] = {
    "verify": Action(
        form=_form(F.VerifyForm),
        run=lambda u, c, t, d: services.case_verify(actor=u, case_id=c.pk, **d),
        done=gettext_lazy("The home visit is recorded."),
    ),
    "file": Action(
        form=_form(F.FileForm, case=lambda c, t: c),
        run=lambda u, c, t, d: services.case_file(actor=u, case_id=c.pk, cosigners=list(d["cosigners"])),
        done=gettext_lazy("The case is filed."),
    ),
    "withdraw": Action(
        form=_form(F.WithdrawForm),
        run=_run_withdraw,
        done=gettext_lazy("The case is withdrawn."),
        file_field="letter",
    ),
    "accept": Action(
        form=_form(F.EmptyForm),
        run=lambda u, c, t, d: services.case_accept(actor=u, case_id=c.pk),
        done=gettext_lazy("The case is accepted."),
    ),
    "refuse": Action(
        form=_form(F.RefuseForm),
        run=lambda u, c, t, d: services.case_refuse(
            actor=u, case_id=c.pk, reason=d["reason"], note=d["note"]
        ),
        done=gettext_lazy("The case is not accepted."),
    ),
    "return": Action(
        form=_form(F.NoteForm),
        run=lambda u, c, t, d: services.case_return(actor=u, case_id=c.pk, note=d["note"]),
        done=gettext_lazy("The case is returned to the deputy for revision."),
    ),
    "merge": Action(
        form=lambda r, c, t: F.MergeForm(r.POST, scope=selectors.case_scope_for(r.user).exclude(pk=c.pk)),
        run=lambda u, c, t, d: services.case_merge(actor=u, case_id=c.pk, into_id=d["into"].pk),
        done=gettext_lazy("The case is merged; its deputies are co-signers of the other case."),
    ),
    "assign": Action(
        form=_form(F.AssignForm, case=lambda c, t: c),
        run=lambda u, c, t, d: services.case_assign(actor=u, case_id=c.pk, **_assign_kwargs(d)),
        done=gettext_lazy("The case is assigned; the units are told."),
    ),
    "acknowledge": Action(
        form=_form(F.EmptyForm),
        run=lambda u, c, t, d: services.assignment_acknowledge(actor=u, assignment_id=t.pk),
        done=gettext_lazy("Acknowledged: the case is in your unit's hands."),
        target="assignment",
    ),
    "request_reassignment": Action(
        form=_form(F.ReasonForm),
        run=lambda u, c, t, d: services.assignment_request_reassignment(
            actor=u, assignment_id=t.pk, reason=d["reason"]
        ),
        done=gettext_lazy("The request for reassignment is sent to the congress staff."),
        target="assignment",
    ),
    "decide_reassignment": Action(
        form=_form(F.ReassignmentDecideForm, case=lambda c, t: c),
        run=_run_decide,
        done=gettext_lazy("The request is decided."),
        target="request",
    ),
    "record": Action(
        form=_form(F.HandlingRecordForm),
        run=lambda u, c, t, d: services.handling_record_add(actor=u, assignment_id=t.pk, **d),
        done=gettext_lazy("The handling is recorded."),
        target="assignment",
    ),
    "opinion": Action(
        form=_form(F.OpinionForm),
        run=lambda u, c, t, d: services.assisting_opinion_send(
            actor=u, assignment_id=t.pk, opinion=d["opinion"]
        ),
        done=gettext_lazy("The opinion is sent to the lead unit."),
        target="assignment",
    ),
    "answer": Action(
        form=lambda r, c, t: F.AnswerForm(r.POST, rules=rules_for(c.congress)),
        run=lambda u, c, t, d: services.answer_submit(actor=u, assignment_id=t.pk, **d),
        done=gettext_lazy("The answer is sent to the deputies."),
        target="assignment",
    ),
    "upload": Action(
        form=lambda r, c, t: F.UploadForm(r.POST, r.FILES, handler=_upload_assignment(r.user, c) is not None),
        run=_run_upload,
        done=gettext_lazy("The file is attached."),
        file_field="file",
    ),
    "rate": Action(
        form=_form(F.RatingForm),
        run=lambda u, c, t, d: services.rating_submit(
            actor=u, case_id=c.pk, value=d["value"], comment=d["comment"]
        ),
        done=gettext_lazy("Thank you: your rating is recorded."),
    ),
    "close": Action(
        form=_form(F.NoteForm),
        run=lambda u, c, t, d: services.case_close(actor=u, case_id=c.pk, note=d["note"]),
        done=gettext_lazy("The case is closed."),
    ),
    "close_unrated": Action(
        form=_form(F.CloseUnratedForm),
        run=lambda u, c, t, d: services.case_close_unrated(actor=u, case_id=c.pk, note=d["note"]),
        done=gettext_lazy("The case is closed as not rated (未反馈)."),
    ),
    "follow_up": Action(
        form=_form(F.FollowUpForm),
        run=lambda u, c, t, d: services.follow_up_record(actor=u, case_id=c.pk, **d),
        done=gettext_lazy("The follow-up visit is recorded."),
    ),
    "priority": Action(
        form=_form(F.PriorityForm),
        run=lambda u, c, t, d: services.case_mark_priority(
            actor=u,
            case_id=c.pk,
            priority=d["priority"],
            note=d["note"],
            meeting_date=d["meeting_date"],
            meeting_name=d["meeting_name"],
            proposed_by=d["proposed_by"],
        ),
        done=gettext_lazy("Priority supervision is updated."),
    ),
    "supervise": Action(
        form=_form(F.SuperviseForm),
        run=lambda u, c, t, d: services.supervision_record(
            actor=u, case_id=c.pk, kind=d["kind"], note=d["note"]
        ),
        done=gettext_lazy("The supervision is recorded."),
    ),
    "publish": Action(
        form=_form(F.EmptyForm),
        run=lambda u, c, t, d: services.case_publish(actor=u, case_id=c.pk),
        done=gettext_lazy("The answer is published."),
    ),
    "put_on_wall": Action(
        form=_form(F.PutOnWallForm),
        run=lambda u, c, t, d: services.wish_put_on_wall(
            actor=u, case_id=c.pk, public_summary=d["public_summary"]
        ),
        done=gettext_lazy("The wish is on the wish wall."),
    ),
    "claim_withdraw": Action(
        form=_form(F.ReasonForm),
        run=lambda u, c, t, d: services.claim_withdraw(actor=u, claim_id=t.pk, reason=d["reason"]),
        done=gettext_lazy("The claim is withdrawn; the wish is back on the wall."),
        target="claim",
    ),
    "deliver": Action(
        form=_form(F.DeliverForm),
        run=lambda u, c, t, d: services.claim_deliver(actor=u, claim_id=t.pk, photos=d["photos"]),
        done=gettext_lazy("Thank you: the delivery is recorded and waits for confirmation."),
        target="claim",
        file_field="photos",
    ),
    "confirm_delivery": Action(
        form=_form(F.EmptyForm),
        run=lambda u, c, t, d: services.claim_confirm(actor=u, claim_id=t.pk),
        done=gettext_lazy("The delivery is confirmed."),
        target="claim",
    ),
    "cosign_confirm": Action(
        form=_form(F.EmptyForm),
        run=lambda u, c, t, d: services.cosign_respond(actor=u, case_id=c.pk, confirm=True),
        done=gettext_lazy("You are a co-signer of this case."),
    ),
    "cosign_decline": Action(
        form=_form(F.EmptyForm),
        run=lambda u, c, t, d: services.cosign_respond(actor=u, case_id=c.pk, confirm=False),
        done=gettext_lazy("You declined to co-sign; your name is removed from the case."),
    ),
    "request_extension": Action(
        form=_form(F.ExtensionRequestForm),
        run=lambda u, c, t, d: services.extension_request(
            actor=u, assignment_id=t.pk, requested_due=d["requested_due"], reason=d["reason"]
        ),
        done=gettext_lazy("The request for an extension is sent to the congress staff."),
        target="assignment",
    ),
    "decide_extension": Action(
        form=_form(F.ExtensionDecideForm),
        run=lambda u, c, t, d: services.extension_decide(
            actor=u, request_id=t.pk, grant=d["decision"] == "grant", new_due=d["new_due"], note=d["note"]
        ),
        done=gettext_lazy("The extension is decided."),
        target="extension",
    ),
    "fulfil_wish": Action(
        form=_form(F.FulfilForm),
        run=lambda u, c, t, d: services.wish_fulfil_by_unit(
            actor=u, assignment_id=t.pk, photos=d["photos"], note=d["note"]
        ),
        done=gettext_lazy("The wish is recorded as realised by your unit."),
        target="assignment",
        file_field="photos",
    ),
}


def _target(case: Case, kind: str, obj_id: int | None):
    """The assignment, reassignment request or claim named in the URL, within the case (else 404)."""
    if kind == "case":
        return None
    if kind == "assignment":
        queryset = case.assignments.select_related("unit")
    elif kind == "request":
        queryset = ReassignmentRequest.objects.filter(assignment__case=case)
    elif kind == "extension":
        queryset = ExtensionRequest.objects.filter(assignment__case=case).select_related("assignment")
    else:
        queryset = case.claims.all()
    target = queryset.filter(pk=obj_id).first()
    if target is None:
        raise Http404
    return target


def _override_key(name: str, target) -> str:
    keyed = {
        "acknowledge",
        "request_reassignment",
        "record",
        "opinion",
        "answer",
        "request_extension",
        "fulfil_wish",
        "claim_withdraw",
        "deliver",
        "confirm_delivery",
    }
    if name == "decide_reassignment":
        return f"decide{target.pk}"
    if name == "decide_extension":
        return f"decide_extension{target.pk}"
    return f"{name}{target.pk}" if name in keyed and target is not None else name


def _next_url(request) -> str | None:
    url = request.POST.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


@login_required
@require_POST
def case_action(request, pk: int, action: str, obj_id: int | None = None):
    """Every step of the workflow on the case page: one URL name per action, one service call each."""
    spec = ACTIONS[action]
    user = request.user
    case = selectors.case_get_for(user, pk)
    target = _target(case, spec.target, obj_id)
    if not actions.offer(user, case, action, target=target).permitted:
        raise PermissionDenied(_("You are not allowed to do this."))
    form = spec.form(request, case, target)
    key = _override_key(action, target)
    form.auto_id = f"id_{key}_%s"
    status = 400
    if form.is_valid():
        try:
            spec.run(user, case, target, form.cleaned_data)
        except TransitionNotAllowed as exc:
            case = selectors.case_get_for(user, pk)
            return _refused(request, case, exc)
        except DomainError as exc:
            F.add_domain_error(form, exc, file_field=spec.file_field)
            status = exc.status_code
        else:
            messages.success(request, str(spec.done))
            return redirect(_next_url(request) or reverse("cases:detail", args=[pk]))
    case = selectors.case_get_for(user, pk)
    # The action's form, opened, says what is wrong (once, above its fields): no second banner at the top.
    return _render_detail(request, case, overrides={key: form}, status=status)


@uploads.guarded
@require_GET
def document(request, pk: int, doc_id: int):
    """A file of a case, to those who may open it (never a public media URL); 404 to anyone else."""
    user = request.user
    case = selectors.case_get_for(user, pk)
    doc = case.documents.filter(pk=doc_id).first()
    if doc is None or not privacy.may_open_document(user, doc):
        raise Http404
    return uploads.file_response(doc.file, content_type=doc.content_type, filename=doc.original_name)
