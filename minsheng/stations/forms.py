"""Forms of the station pages: input only; the rules are in services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.cases.models import Case
from minsheng.common import validators as checks
from minsheng.common.forms import BootstrapForm, DateInput
from minsheng.deputies.models import Deputy
from minsheng.places.models import Place
from minsheng.units.models import Unit

from .models import Reception, Station


class StationFilterForm(BootstrapForm):
    q = forms.CharField(
        label=_("Name or place"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. 海宴")}),
    )
    county = forms.ChoiceField(label=_("County"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Station.Kind.choices]
    )

    def __init__(self, *args, counties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", _("All counties")), *((p.code, p.name) for p in counties)]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"q": data.get("q") or "", "county": data.get("county") or "", "kind": data.get("kind") or ""}


def _place_label(place: Place) -> str:
    parent = (
        place.parent.name
        if place.parent_id and place.level in (Place.Level.TOWNSHIP, Place.Level.VILLAGE)
        else ""
    )
    return f"{parent} · {place.name}" if parent else place.name


class StationForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Station.Kind.choices)
    place = forms.ModelChoiceField(label=_("Place"), queryset=Place.objects.none())
    address = forms.CharField(label=_("Address"), max_length=200)
    opening_hours = forms.CharField(label=_("Opening hours"), max_length=200, required=False)
    phone = forms.CharField(label=_("Station telephone"), max_length=30, required=False)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=checks.limit(Station, "description"),
    )

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places
        self.fields["place"].label_from_instance = _place_label


class StationEditForm(StationForm):
    is_active = forms.BooleanField(label=_("Open to the public"), required=False)


class AttachForm(BootstrapForm):
    deputy = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    since = forms.DateField(required=False, widget=forms.HiddenInput, validators=[checks.validate_past_date])


class DetachForm(BootstrapForm):
    deputy = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# --- receptions (接待) ------------------------------------------------------------------------------------


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
