"""Forms of the station pages: input only; the rules are in services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.common import validators as checks
from minsheng.common.forms import BootstrapForm
from minsheng.places.models import Place

from .models import Station


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
