"""Forms of the reception pages: input only; the rules are in services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.cases.models import Case
from minsheng.common import validators as checks
from minsheng.common.forms import BootstrapForm, DateInput
from minsheng.deputies.models import Deputy
from minsheng.units.models import Unit

from .models import Reception


class ReceptionFilterForm(BootstrapForm):
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)
    deputy = forms.TypedChoiceField(label=_("Deputy"), required=False, coerce=int, empty_value=None)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories")), *Reception.Category.choices]
    )
    outcome = forms.ChoiceField(
        label=_("How it was dealt with"),
        required=False,
        choices=[("", _("Any outcome")), *Reception.Outcome.choices],
    )
    linked = forms.ChoiceField(
        label=_("Case"),
        required=False,
        choices=[("", _("Linked or not")), ("1", _("Linked to a case")), ("0", _("Not linked"))],
    )

    def __init__(self, *args, deputies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].choices = [("", _("All deputies")), *((d.pk, d.name) for d in deputies)]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        linked = data.get("linked")
        return {
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "deputy": data.get("deputy"),
            "category": data.get("category") or "",
            "outcome": data.get("outcome") or "",
            "linked": None if linked in (None, "") else linked == "1",
        }


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class ReceptionForm(BootstrapForm):
    """Phone-friendly: big inputs, numeric keyboards for the count and the phone."""

    received_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=DateTimeInput,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        validators=[checks.validate_past_date],
    )
    deputies = forms.ModelMultipleChoiceField(
        label=_("Deputies who received"), queryset=Deputy.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    visitor_count = forms.IntegerField(
        label=_("Number of visitors"),
        min_value=1,
        max_value=9999,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    contact_name = forms.CharField(
        label=_("Contact visitor's name"),
        required=False,
        max_length=50,
        help_text=_(
            "Optional. Personal data: only the station's staff, congress staff and the deputies who received see it."
        ),
    )
    contact_phone = forms.CharField(
        label=_("Contact visitor's mobile"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    matter = forms.CharField(
        label=_("Matter"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=checks.limit(Reception, "matter"),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Reception.Category.choices)
    outcome = forms.ChoiceField(
        label=_("How it was dealt with"), choices=Reception.Outcome.choices, widget=forms.RadioSelect
    )
    referred_to = forms.ModelChoiceField(label=_("Referred to"), required=False, queryset=Unit.objects.none())
    outcome_note = forms.CharField(
        label=_("Note on how it was dealt with"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=checks.limit(Reception, "outcome_note"),
    )

    def __init__(self, *args, deputies, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = deputies
        self.fields["deputies"].widget.attrs["class"] = "form-check-input"
        self.fields["outcome"].widget.attrs["class"] = "form-check-input"
        self.fields["referred_to"].queryset = units


class ReceptionToCaseForm(BootstrapForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(k, label) for k, label in Case.Kind.choices if k in ("suggestion", "micro_project")],
    )
    deputy = forms.ModelChoiceField(label=_("Lead deputy"), queryset=Deputy.objects.none(), required=False)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    amount = forms.DecimalField(
        label=_("Budget (yuan), for a micro-project"), required=False, min_value=0, decimal_places=2
    )

    def __init__(self, *args, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies
        self.fields["deputy"].empty_label = _("(you, or the first deputy who received)")


class ReceptionLinkForm(BootstrapForm):
    case = forms.CharField(
        label=_("Case number or id"),
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 12")}),
    )
