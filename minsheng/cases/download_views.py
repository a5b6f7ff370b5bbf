"""Downloads of cases under /cases/stats/ (URLs in `download_urls.py`): the case list as an Excel file and the
printable answer letter. (The statistics page and its export on the same prefix are minsheng/insights.)

Views only read the filters, ask `exports` and `pdf`, and answer. Every row comes from the caller's scope, so
another congress's case or answer does not exist for them (404).
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from minsheng.common import printing
from minsheng.common.errors import PermissionDenied
from minsheng.common.permissions import can

from . import exports, pdf
from .models import Answer, Case
from .permissions import Printout
from .selectors import QUEUES, case_list_for, case_scope_for


def _require(request, action: str, obj=None) -> None:
    if not can(request.user, action, obj):
        raise PermissionDenied(_("You are not allowed to do this."))


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
    """答复函 with its 征询意见表, as a PDF, for whoever may see the answer (`cases.print`)."""
    answer = (
        Answer.objects.filter(pk=answer_id, case__in=case_scope_for(request.user).values("pk"))
        .select_related("case", "case__congress", "case__lead_deputy", "assignment__unit")
        .first()
    )
    # a donor's view of a case is the claim, not the answer: 404 like another congress's answer
    if answer is None or not can(request.user, "cases.print", Printout("answer_letter", answer.case)):
        raise Http404(_("No such answer."))
    content = pdf.answer_letter_pdf(actor=request.user, answer=answer)
    number = printing.safe_name(answer.case.number or answer.case.pk)
    return printing.pdf_response(content, _("answer-letter-%(number)s.pdf") % {"number": number})
