from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from minsheng.congresses.models import Congress

from .models import ImportJob
from .selectors import import_congresses_for


class ImportForm(forms.Form):
    """Start an import: which roster, for which congress (within the uploader's scope), which file."""

    kind = forms.ChoiceField(label=_("Roster"), choices=ImportJob.Kind.choices, widget=forms.RadioSelect)
    congress = forms.ModelChoiceField(
        label=_("Congress"),
        queryset=Congress.objects.none(),
        help_text=_("Rows may name this congress or the congresses within its region."),
    )
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = import_congresses_for(actor)
        self.fields["congress"].widget.attrs["class"] = "form-select"
        self.fields["file"].widget.attrs["class"] = "form-control"
        self.fields["file"].help_text = _("At most %(mb)d MB. Use the template of the roster.") % {
            "mb": settings.IMPORT_MAX_FILE_BYTES // (1024 * 1024)
        }
        if getattr(actor, "congress_id", None) and not self.is_bound:
            self.fields["congress"].initial = actor.congress_id


class ImportFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + list(ImportJob.Status.choices)
    )
    kind = forms.ChoiceField(
        label=_("Roster"), required=False, choices=[("", _("All"))] + list(ImportJob.Kind.choices)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def filter(self, jobs):
        if not self.is_valid():
            return jobs
        if self.cleaned_data["status"]:
            jobs = jobs.filter(status=self.cleaned_data["status"])
        if self.cleaned_data["kind"]:
            jobs = jobs.filter(kind=self.cleaned_data["kind"])
        return jobs
