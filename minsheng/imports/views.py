"""Pages of the imports app: the list of imports, the upload form, a job's page with its live progress, the
error report and the blank templates. Views translate requests into service calls and results into pages."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRefresh

from minsheng.common import uploads
from minsheng.common.errors import DomainError, PermissionDenied
from minsheng.common.export import XLSX
from minsheng.common.paging import paginate
from minsheng.common.permissions import can

from . import rosters, services
from .forms import ImportFilterForm, ImportForm
from .models import ImportJob
from .reports import error_report_filename
from .selectors import import_list_for

ERRORS_SHOWN = 50


def _require(request, action: str, obj=None) -> None:
    if not can(request.user, action, obj):
        raise PermissionDenied(_("You are not allowed to do this."))


def _job_for(request, pk: int) -> ImportJob:
    """The caller's job, or 404 (another congress's or another person's import does not exist for them)."""
    _require(request, "imports.view_list")
    return get_object_or_404(import_list_for(request.user), pk=pk)


def _attachment(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
@require_GET
def import_list(request):
    """The imports the caller may see, newest first, filtered by status and roster."""
    _require(request, "imports.view_list")
    filters = ImportFilterForm(request.GET or None)
    jobs = filters.filter(import_list_for(request.user))
    return render(
        request,
        "imports/list.html",
        {"filters": filters, "kinds": ImportJob.Kind.choices, **paginate(request, jobs)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_create(request):
    """Upload a roster: the file's shape is checked at once; the rows are checked in the background."""
    _require(request, "imports.view_list")
    form = ImportForm(request.POST or None, request.FILES or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_create(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                congress=form.cleaned_data["congress"],
                upload=form.cleaned_data["file"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            return redirect("imports:detail", pk=job.pk)
    return render(request, "imports/create.html", {"form": form, "kinds": ImportJob.Kind.choices})


@login_required
@require_GET
@never_cache
def import_detail(request, pk: int):
    job = _job_for(request, pk)
    return render(
        request,
        "imports/detail.html",
        {"job": job, "errors": job.errors[:ERRORS_SHOWN], "errors_shown": ERRORS_SHOWN},
    )


@login_required
@require_GET
@never_cache
def import_progress(request, pk: int):
    """The progress partial the job's page polls (htmx) while the job runs. When the job has finished, an
    htmx request gets a page refresh instead, so the counts and errors appear."""
    job = _job_for(request, pk)
    if job.is_finished and request.htmx:
        return HttpResponseClientRefresh()
    return render(request, "imports/_progress.html", {"job": job})


@uploads.guarded
@require_GET
def import_error_report(request, pk: int):
    """The refused import's error report (.xlsx): row, column, value (ID numbers and mobiles masked), error."""
    job = _job_for(request, pk)
    if not job.error_report:
        raise Http404(_("This import has no error report."))
    return uploads.file_response(
        job.error_report, content_type=uploads.XLSX, filename=error_report_filename(job)
    )


@login_required
@require_GET
def import_template(request, kind: str):
    """The blank template of a roster, with an example row and a notes sheet."""
    _require(request, "imports.view_list")
    if kind not in ImportJob.Kind.values:
        raise Http404(_("No such roster."))
    return _attachment(rosters.template_bytes(kind), rosters.template_filename(kind))
