"""Forms of the deputies pages: they only read input; the rules are in services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.common import validators as checks
from minsheng.common.forms import BootstrapForm, DateInput
from minsheng.common.idcard import validate_id_number
from minsheng.common.phones import validate_mobile
from minsheng.congresses.models import Congress

from .models import Seat


class DeputyFilterForm(BootstrapForm):
    q = forms.CharField(
        label=_("Name or pinyin"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 曾丽 or zengli"), "type": "search"}),
    )
    congress = forms.TypedChoiceField(label=_("Congress"), required=False, coerce=int, empty_value=None)
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *Congress.Level.choices]
    )
    status = forms.ChoiceField(
        label=_("Seat status"), required=False, choices=[("", _("Any status")), *Seat.Status.choices]
    )
    station = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, congresses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress"].choices = [("", _("All congresses"))] + [
            (c.pk, ("· " * max(0, _DEPTH.get(c.level, 0) - 1)) + c.name) for c in congresses
        ]
        # Choosing a county reloads the page so that its township congresses are offered (site.js).
        self.fields["congress"].widget.attrs["data-autosubmit"] = ""

    def filters(self) -> dict:
        """The selector's keyword arguments; an invalid filter is ignored rather than failing the page."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "q": data.get("q") or "",
            "congress": data.get("congress"),
            "level": data.get("level") or None,
            "status": data.get("status") or None,
            "station": data.get("station"),
        }


_DEPTH = {"national": 0, "provincial": 1, "city": 2, "county": 3, "township": 4}


class DeputyCreateForm(BootstrapForm):
    term = forms.ModelChoiceField(label=_("Congress and term"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=30,
        help_text=_("18 characters; date of birth and gender are read from it."),
        validators=[validate_id_number],
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        required=False,
        validators=[validate_mobile],
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=20, required=False, initial="汉族")
    party = forms.CharField(label=_("Political affiliation"), max_length=30, required=False)
    occupation = forms.CharField(label=_("Work unit and position"), max_length=200, required=False)
    is_leading_cadre = forms.BooleanField(label=_("Party-member leading cadre"), required=False)
    delegation = forms.CharField(label=_("Delegation or deputy group"), max_length=100, required=False)
    constituency = forms.CharField(label=_("Constituency or electoral unit"), max_length=100, required=False)
    start_date = forms.DateField(
        label=_("Seat starts on"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty for the first day of the term."),
        validators=[checks.validate_planned_date],
    )

    def __init__(self, *args, terms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = terms
        self.fields["term"].label_from_instance = str


class SeatAddForm(BootstrapForm):
    term = forms.ModelChoiceField(label=_("Congress and term"), queryset=None)
    delegation = forms.CharField(label=_("Delegation or deputy group"), max_length=100, required=False)
    constituency = forms.CharField(label=_("Constituency or electoral unit"), max_length=100, required=False)
    start_date = forms.DateField(
        label=_("Seat starts on"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty for the first day of the term."),
        validators=[checks.validate_planned_date],
    )

    def __init__(self, *args, terms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = terms
        self.fields["term"].label_from_instance = str


class SeatEndForm(BootstrapForm):
    status = forms.ChoiceField(
        label=_("How the seat ends"),
        choices=[
            (Seat.Status.ENDED, Seat.Status.ENDED.label),
            (Seat.Status.RESIGNED, Seat.Status.RESIGNED.label),
        ],
    )
    end_date = forms.DateField(label=_("End date"), widget=DateInput, validators=[checks.validate_past_date])
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
