"""Pages of the livelihood projects through the year.

Inside the platform a project is seen by the staff of its congress, the handlers of its lead unit and the
deputies of its supervision group (everyone else: 404); each action then asks its rule (403 if the role may see
but not do it). The public pages show every project's progress, milestones and the photos of reports marked
public, and the satisfaction rate once published: no findings, no internal notes, no people's contacts.
Every write is one service of services.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from minsheng.accounts.permissions import Role, has_role, staff_scope_prefix
from minsheng.common import audit, clock, uploads
from minsheng.common.dbrouter import use_replica
from minsheng.common.errors import DomainError, PermissionDenied
from minsheng.common.export import xlsx_response
from minsheng.common.pagecache import public_page
from minsheng.common.paging import paginate
from minsheng.common.permissions import ensure
from minsheng.voting import pages as voting_pages

from . import actions, pages, selectors, services
from . import forms as F
from .models import Milestone, ProgressPhoto, Project


def _require_staff(user):
    if staff_scope_prefix(user) is None:
        raise PermissionDenied(_("Only congress staff may do this."))


def _project(request, pk) -> Project:
    return selectors.project_get_for(request.user, pk)


def _form_page(request, form, *, title, project=None, status=200, multipart=False):
    return render(
        request,
        "projects/form.html",
        {"form": form, "title": title, "project": project, "multipart": multipart},
        status=status,
    )


def _refused(request, form, exc, **kwargs):
    F.add_domain_error(form, exc, file_field="photos")
    return _form_page(request, form, status=exc.status_code, **kwargs)


# --- lists ------------------------------------------------------------------------------------------------


def _filtered(request):
    prefix = staff_scope_prefix(request.user) or ""
    form = F.FilterForm(request.GET or None, prefix_scope=prefix)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.project_list_for(
        request.user,
        congress=filters.get("congress"),
        year=filters.get("year"),
        status=filters.get("status") or "",
        unit=filters.get("unit"),
        late_only=bool(filters.get("late")),
    )
    return form, qs


@login_required
def index(request):
    """Staff: the projects of the congresses in scope, with filters. A unit: the projects it leads. A deputy:
    the projects whose supervision group he or she is in."""
    user = request.user
    if staff_scope_prefix(user) is not None:
        form, qs = _filtered(request)
        title = _("Livelihood projects")
    elif has_role(user, Role.UNIT_HANDLER) and user.unit_id:
        form, qs = None, selectors.project_list_for(user)
        title = _("Projects my unit leads")
    elif has_role(user, Role.DEPUTY) and user.deputy_id:
        form, qs = None, selectors.project_list_for(user)
        title = _("Projects I supervise")
    else:
        raise PermissionDenied(_("Only congress staff, lead units and deputies have projects here."))
    page = paginate(request, qs, per_page=25)
    for p in page["object_list"]:
        p.progress = selectors.progress_of(p.done_weight, p.total_weight)
    return render(
        request,
        "projects/index.html",
        {**page, "form": form, "title": title, "is_staff": form is not None},
    )


@use_replica
@login_required
def export(request):
    _require_staff(request.user)
    _form, qs = _filtered(request)
    headers = [
        _("Congress"),
        _("Year"),
        _("Number"),
        _("Project"),
        _("Lead unit"),
        _("Budget (10,000 yuan)"),
        _("Responsible leader"),
        _("Status"),
        _("Progress (%)"),
        _("Reported progress (%)"),
        _("Late milestones"),
    ]
    qs = qs.select_related("candidate")
    rows = [
        [
            p.congress.name,
            p.year,
            p.candidate.number,
            p.title,
            p.lead_unit.name,
            p.budget,
            " ".join(x for x in (p.leader_post, p.leader_name) if x),
            p.get_status_display(),
            selectors.progress_of(p.done_weight, p.total_weight),
            p.latest_percent,
            p.late_count,
        ]
        for p in qs
    ]
    return xlsx_response(
        headers, rows, filename=_("livelihood-projects.xlsx"), title=_("Livelihood projects")
    )


@login_required
@require_http_methods(["GET", "POST"])
def create_for_vote(request):
    _require_staff(request.user)
    form = F.CreateForVoteForm(request.POST or None, prefix_scope=staff_scope_prefix(request.user) or "")
    if request.method == "POST" and form.is_valid():
        try:
            created = services.projects_create_for_vote(
                actor=request.user, vote_id=form.cleaned_data["vote"].pk
            )
        except DomainError as exc:
            return _refused(request, form, exc, title=_("Projects from a vote"))
        messages.success(request, _("%(n)d projects were created.") % {"n": len(created)})
        return redirect("projects:index")
    return _form_page(request, form, title=_("Projects from a vote"))


@login_required
@require_http_methods(["GET", "POST"])
def satisfaction_vote(request):
    _require_staff(request.user)
    form = F.SatisfactionVoteForm(request.POST or None, prefix_scope=staff_scope_prefix(request.user) or "")
    title = _("Prepare the satisfaction vote")
    if request.method == "POST" and form.is_valid():
        try:
            vote = services.satisfaction_vote_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            return _refused(request, form, exc, title=title)
        messages.success(request, _("The satisfaction vote was prepared."))
        return redirect("voting:vote", vote.pk)
    return _form_page(request, form, title=title)


# --- one project ------------------------------------------------------------------------------------------


@login_required
def detail(request, pk):
    project = _project(request, pk)
    today = clock.today()
    milestones = selectors.milestones_of(project)
    for m in milestones:
        m.late = m.is_late(today)
    offers = actions.offered(request.user, project)
    for m in milestones:
        m.actions = [
            name
            for name in ("update_milestone", "complete_milestone")
            if name in offers and m.pk in offers[name].choices["milestones"]
        ]
    context = {
        "project": project,
        "actions": offers,
        "progress": selectors.progress_of(project.done_weight, project.total_weight),
        "milestones": milestones,
        "members": project.members.select_related("deputy"),
        "reports": project.reports.select_related("reported_by").prefetch_related("photos"),
        "inspections": project.inspections.prefetch_related("deputies").select_related("recorded_by"),
        "satisfaction": selectors.satisfaction_of([project]).get(project.pk),
        "history": audit.history_of(project)[:100],
    }
    return render(request, "projects/detail.html", context)


def _managed(request, pk) -> Project:
    project = _project(request, pk)
    ensure(request.user, "projects.manage", project.congress)
    return project


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    project = _managed(request, pk)
    initial = {f: getattr(project, f) for f in services.EDITABLE}
    form = F.ProjectForm(request.POST or None, initial=initial, project=project)
    title = _("Change the project")
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(actor=request.user, project_id=project.pk, **form.cleaned_data)
        except DomainError as exc:
            return _refused(request, form, exc, title=title, project=project)
        messages.success(request, _("The project was saved."))
        return redirect("projects:detail", project.pk)
    return _form_page(request, form, title=title, project=project)


@login_required
@require_http_methods(["GET", "POST"])
def group(request, pk):
    project = _managed(request, pk)
    members = list(project.members.all())
    initial = {
        "deputies": [m.deputy_id for m in members],
        "leader": next((m.deputy_id for m in members if m.is_leader), None),
    }
    form = F.GroupForm(request.POST or None, initial=initial, project=project)
    title = _("Deputies' supervision group")
    if request.method == "POST" and form.is_valid():
        leader = form.cleaned_data["leader"]
        try:
            services.group_set(
                actor=request.user,
                project_id=project.pk,
                deputy_ids=[d.pk for d in form.cleaned_data["deputies"]],
                leader_id=leader.pk if leader else None,
            )
        except DomainError as exc:
            return _refused(request, form, exc, title=title, project=project)
        messages.success(request, _("The supervision group was saved."))
        return redirect("projects:detail", project.pk)
    return _form_page(request, form, title=title, project=project)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_add(request, pk):
    project = _managed(request, pk)
    form = F.MilestoneForm(request.POST or None)
    title = _("Add a milestone")
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_add(actor=request.user, project_id=project.pk, **form.cleaned_data)
        except DomainError as exc:
            return _refused(request, form, exc, title=title, project=project)
        messages.success(request, _("The milestone was added."))
        return redirect("projects:detail", project.pk)
    return _form_page(request, form, title=title, project=project)


def _milestone(request, milestone_id) -> Milestone:
    milestone = get_object_or_404(
        Milestone.objects.filter(project__in=selectors.projects_for(request.user)), pk=milestone_id
    )
    ensure(request.user, "projects.manage", milestone.project.congress)
    return milestone


@login_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request, milestone_id):
    milestone = _milestone(request, milestone_id)
    project = milestone.project
    initial = {"title": milestone.title, "due_on": milestone.due_on, "weight": milestone.weight}
    form = F.MilestoneForm(request.POST or None, initial=initial)
    title = _("Change the milestone")
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_update(actor=request.user, milestone_id=milestone.pk, **form.cleaned_data)
        except DomainError as exc:
            return _refused(request, form, exc, title=title, project=project)
        messages.success(request, _("The milestone was saved."))
        return redirect("projects:detail", project.pk)
    return _form_page(request, form, title=title, project=project)


@login_required
@require_POST
def milestone_done(request, milestone_id):
    milestone = _milestone(request, milestone_id)
    form = F.DoneForm(request.POST)
    done_on = form.cleaned_data.get("done_on") if form.is_valid() else None
    try:
        services.milestone_complete(actor=request.user, milestone_id=milestone.pk, done_on=done_on)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The milestone is done."))
    return redirect("projects:detail", milestone.project_id)


@login_required
@require_POST
def complete(request, pk):
    project = _managed(request, pk)
    form = F.CompleteForm(request.POST)
    completed_on = form.cleaned_data.get("completed_on") if form.is_valid() else None
    try:
        services.project_complete(actor=request.user, project_id=project.pk, completed_on=completed_on)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The project is completed."))
    return redirect("projects:detail", project.pk)


@login_required
@require_http_methods(["GET", "POST"])
def terminate(request, pk):
    project = _managed(request, pk)
    form = F.TerminateForm(request.POST or None)
    title = _("Terminate the project")
    if request.method == "POST" and form.is_valid():
        try:
            services.project_terminate(actor=request.user, project_id=project.pk, **form.cleaned_data)
        except DomainError as exc:
            return _refused(request, form, exc, title=title, project=project)
        messages.success(request, _("The project was terminated."))
        return redirect("projects:detail", project.pk)
    return _form_page(request, form, title=title, project=project)


@login_required
@require_http_methods(["GET", "POST"])
def report_add(request, pk):
    project = _project(request, pk)
    ensure(request.user, "projects.report", project)
    form = F.ReportForm(request.POST or None, request.FILES or None)
    title = _("Report progress")
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_report_add(actor=request.user, project_id=project.pk, **form.cleaned_data)
        except DomainError as exc:
            return _refused(request, form, exc, title=title, project=project, multipart=True)
        messages.success(request, _("The progress report was saved."))
        return redirect("projects:detail", project.pk)
    return _form_page(request, form, title=title, project=project, multipart=True)


@login_required
@require_http_methods(["GET", "POST"])
def inspection_add(request, pk):
    project = _project(request, pk)
    ensure(request.user, "projects.inspect", project)
    form = F.InspectionForm(request.POST or None, project=project)
    title = _("Record an inspection")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["deputy_ids"] = [d.pk for d in data.pop("deputies")]
        try:
            services.inspection_record(actor=request.user, project_id=project.pk, **data)
        except DomainError as exc:
            return _refused(request, form, exc, title=title, project=project)
        messages.success(request, _("The inspection was recorded."))
        return redirect("projects:detail", project.pk)
    return _form_page(request, form, title=title, project=project)


def _photo_response(photo: ProgressPhoto, *, public: bool):
    return uploads.file_response(
        photo.file, content_type=photo.content_type, filename=photo.original_name, public=public
    )


@uploads.guarded
def photo(request, photo_id):
    """A report's photo, to those who may see the project (never a public media URL); 404 to anyone else."""
    photo = get_object_or_404(
        ProgressPhoto.objects.filter(report__project__in=selectors.projects_for(request.user)), pk=photo_id
    )
    return _photo_response(photo, public=False)


# --- public -----------------------------------------------------------------------------------------------


@use_replica
@public_page(pages.PUBLIC, voting_pages.RESULTS, key_param="congress")
def public_list(request):
    form = F.PublicFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.public_projects(congress=filters.get("congress"), year=filters.get("year"))
    page = paginate(request, qs, per_page=25)
    projects = list(page["object_list"])
    satisfaction = selectors.satisfaction_of(projects)
    for p in projects:
        p.progress = selectors.progress_of(p.done_weight, p.total_weight)
        p.satisfaction = satisfaction.get(p.pk)
    page["object_list"] = projects
    return render(request, "projects/public_list.html", {**page, "form": form})


@use_replica
@public_page(pages.PUBLIC, voting_pages.RESULTS)
def public_detail(request, pk):
    project = get_object_or_404(selectors.public_projects(), pk=pk)
    today = clock.today()
    milestones = selectors.milestones_of(project)
    for m in milestones:
        m.late = m.is_late(today)
    context = {
        "project": project,
        "progress": selectors.progress_of(project.done_weight, project.total_weight),
        "milestones": milestones,
        "reports": project.reports.filter(is_public=True).prefetch_related("photos"),
        "satisfaction": selectors.satisfaction_of([project]).get(project.pk),
    }
    return render(request, "projects/public_detail.html", context)


@use_replica
def public_photo(request, photo_id):
    photo = ProgressPhoto.objects.filter(report__is_public=True, pk=photo_id).first()
    if photo is None:
        raise Http404
    return _photo_response(photo, public=True)
