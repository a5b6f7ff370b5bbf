"""Pages of the statistics, the Excel exports and the printable answer letter (URLs in `stats_urls.py`).

Views only read the filters, ask `stats`, `exports` and `pdf`, and answer. The statistics are for congress
staff and admins (others 403); every figure and row comes from the caller's scope, so another congress's
case or answer does not exist for them (404).
"""

from urllib.parse import quote

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from minsheng.common.errors import PermissionDenied
from minsheng.common.paging import PAGE_SIZE
from minsheng.common.permissions import can
from minsheng.congresses.models import Congress

from . import exports, pdf, privacy, stats
from .models import Answer, Case
from .selectors import QUEUES, case_list_for, case_scope_for


def _require(request, action: str, obj=None) -> None:
    if not can(request.user, action, obj):
        raise PermissionDenied(_("You are not allowed to do this."))


class StatsFilterForm(forms.Form):
    year = forms.TypedChoiceField(
        label=gettext_lazy("Year filed"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    congress = forms.ModelChoiceField(
        label=gettext_lazy("Congress"),
        queryset=Congress.objects.none(),
        required=False,
        empty_label=gettext_lazy("All congresses"),
    )

    def __init__(self, data, *, actor):
        super().__init__(data)
        self.fields["year"].choices = [("", _("All years"))] + [
            (y, str(y)) for y in stats.stats_years_for(actor)
        ]
        self.fields["kind"].choices = [("", _("All kinds")), *Case.Kind.choices]
        with_cases = case_scope_for(actor).filter(congress=OuterRef("pk"), filed_at__isnull=False)
        self.fields["congress"].queryset = Congress.objects.filter(Exists(with_cases)).order_by(
            "region_prefix"
        )

    def filters(self) -> dict:
        """The valid filters (a wrong one is shown as an error and ignored)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "year": data.get("year"),
            "kind": data.get("kind") or "",
            "congress_id": data["congress"].pk if data.get("congress") else None,
        }


# The page's big tables, each paged on its own (`<name>_page` in the query); the Excel export keeps every row.
TABLES = (("county", "by_county"), ("congress", "by_congress"), ("unit", "by_unit"))
TABLE_ROWS = PAGE_SIZE


def _table_pages(request, figures: stats.Stats) -> dict:
    """A page of each big table, in the statistics' order (most cases first); the links to the other pages
    keep the filters and the other tables' pages."""
    pages = {}
    for name, attr in TABLES:
        param = f"{name}_page"
        page_obj = Paginator(getattr(figures, attr), TABLE_ROWS).get_page(request.GET.get(param))
        params = request.GET.copy()
        params.pop(param, None)
        pages[name] = {
            "page_obj": page_obj,
            "rows": page_obj.object_list,
            "param": param,
            "querystring": params.urlencode(),
        }
    return pages


@login_required
@require_GET
def stats_index(request):
    """Cases by status and kind, 办复率, 满意率, A–D, overdue and the wishes' donations: per congress, county
    and unit, with charts."""
    _require(request, "cases.view_stats")
    form = StatsFilterForm(request.GET or None, actor=request.user)
    filters = form.filters()
    figures = stats.stats_for(request.user, **filters)
    statuses = [(s, Case.Status(s).label) for s in stats.STATUSES]
    kinds = [(k, Case.Kind(k).label) for k in stats.KINDS]
    query = request.GET.copy()
    for name, _attr in TABLES:
        query.pop(f"{name}_page", None)
    context = {
        "form": form,
        "stats": figures,
        "pages": _table_pages(request, figures),
        "statuses": statuses,
        "kinds": kinds,
        "chart_data": stats.chart_data(figures),
        "query": query.urlencode(),
        "case_query": _case_export_query(filters),
    }
    return render(request, "cases/stats/index.html", context)


def _case_export_query(filters: dict) -> str:
    """The statistics' filters as the case export's (the year becomes a range of filing dates)."""
    params = QueryDict(mutable=True)
    if filters["year"]:
        params["filed_from"] = f"{filters['year']}-01-01"
        params["filed_to"] = f"{filters['year']}-12-31"
    if filters["kind"]:
        params["kind"] = filters["kind"]
    if filters["congress_id"]:
        params["congress_id"] = str(filters["congress_id"])
    return params.urlencode()


@login_required
@require_GET
def stats_export(request):
    """The statistics as an Excel workbook: by congress, by county, by unit."""
    _require(request, "cases.view_stats")
    form = StatsFilterForm(request.GET or None, actor=request.user)
    return exports.stats_response(stats.stats_for(request.user, **form.filters()))


class CaseExportFilterForm(forms.Form):
    """The filters of `selectors.case_list_for`, by the same names (`place`, `unit`, `deputy` and `congress`
    are accepted for `place_prefix`, `unit_id`, `deputy_id` and `congress_id`)."""

    ALIASES = {"place": "place_prefix", "unit": "unit_id", "deputy": "deputy_id", "congress": "congress_id"}

    kind = forms.ChoiceField(required=False, choices=[("", "")] + list(Case.Kind.choices))
    status = forms.ChoiceField(required=False, choices=[("", "")] + list(Case.Status.choices))
    place_prefix = forms.RegexField(required=False, regex=r"^\d{0,12}$")
    unit_id = forms.IntegerField(required=False, min_value=1)
    deputy_id = forms.IntegerField(required=False, min_value=1)
    deputy_name = forms.CharField(required=False, max_length=50)
    congress_id = forms.IntegerField(required=False, min_value=1)
    filed_from = forms.DateField(required=False)
    filed_to = forms.DateField(required=False)
    overdue = forms.BooleanField(required=False)
    priority = forms.BooleanField(required=False)
    queue = forms.ChoiceField(required=False, choices=[("", "")] + [(q, q) for q in QUEUES])
    q = forms.CharField(required=False, max_length=100)

    def __init__(self, data):
        data = data.copy()
        for alias, name in self.ALIASES.items():
            if alias in data and name not in data:
                data[name] = data[alias]
        super().__init__(data)

    def filters(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)}


@login_required
@require_GET
def case_export(request):
    """The caller's cases, filtered like the case list, as an Excel file (no beneficiary identity, ever)."""
    _require(request, "cases.export")
    form = CaseExportFilterForm(request.GET)
    if not form.is_valid():
        problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
        return HttpResponseBadRequest(
            _("The filters are not valid: %(problems)s") % {"problems": problems},
            content_type="text/plain; charset=utf-8",
        )
    return exports.cases_response(case_list_for(request.user, **form.filters()))


@login_required
@require_GET
def answer_letter(request, answer_id: int):
    """答复函 with its 征询意见表, as a PDF, for whoever may view the case."""
    answer = (
        Answer.objects.filter(pk=answer_id, case__in=case_scope_for(request.user).values("pk"))
        .select_related("case", "case__congress", "case__lead_deputy", "assignment__unit")
        .first()
    )
    if (
        answer is None
        or not can(request.user, "cases.view", answer.case)
        or not privacy.reads_handling(request.user)  # a donor's view of a case is the claim, not the answer
    ):
        raise Http404(_("No such answer."))
    content = pdf.answer_letter_pdf(actor=request.user, answer=answer)
    response = HttpResponse(content, content_type="application/pdf")
    filename = _("answer-letter-%(number)s.pdf") % {"number": answer.case.number or answer.case.pk}
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    return response
