"""Forms of the reception pages: input only; the rules are in services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.cases.models import Case
from minsheng.common import validators as checks
from minsheng.common.forms import BootstrapForm, DateInput
from minsheng.common.widgets import SearchSelectMultiple
from minsheng.deputies.models import Deputy
from minsheng.units.models import Unit

from .models import Reception, ReceptionMatter


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
    # A type-ahead (common/widgets.py): the view names the station (`reception:<station id>`).
    deputies = forms.ModelMultipleChoiceField(
        label=_("Deputies who received"),
        queryset=Deputy.objects.none(),
        widget=SearchSelectMultiple(kind="deputies"),
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
    MATTER_FIELDS = ("matter", "category", "outcome", "referred_to", "outcome_note")
    referred_to = forms.ModelChoiceField(label=_("Referred to"), required=False, queryset=Unit.objects.none())
    outcome_note = forms.CharField(
        label=_("Note on how it was dealt with"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=checks.limit(Reception, "outcome_note"),
    )

    def __init__(self, *args, deputies, units, with_matters=False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_matters:  # the matters come in the formset (MatterFormSet): the single-matter fields go
            for name in self.MATTER_FIELDS:
                del self.fields[name]
        self.fields["deputies"].queryset = deputies
        if "outcome" in self.fields:
            self.fields["outcome"].widget.attrs["class"] = "form-check-input"
        if "referred_to" in self.fields:
            self.fields["referred_to"].queryset = units


class ReceptionToCaseForm(BootstrapForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (k, label) for k, label in Case.Kind.choices if k in ("suggestion", "wish", "micro_project")
        ],
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


# Reception days (接待日) and matters (反映事项), issue 11 ----------------------------------------------------


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class MonthFilterForm(BootstrapForm):
    month = forms.DateField(
        label=_("Month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )


class ReceptionDayForm(BootstrapForm):
    day = forms.DateField(label=_("Day"), widget=DateInput, validators=[checks.validate_planned_date])
    starts_at = forms.TimeField(label=_("From"), widget=TimeInput, initial="09:00")
    ends_at = forms.TimeField(label=_("Until"), widget=TimeInput, initial="11:30")
    deputies = forms.ModelMultipleChoiceField(
        label=_("Deputies on duty"), queryset=Deputy.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = deputies


class MatterForm(BootstrapForm):
    """One matter of the phone form; a blank one is skipped."""

    text = forms.CharField(
        label=_("Matter"),
        required=False,  # a block without its text is skipped (the formset asks for one matter at least)
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=checks.limit(ReceptionMatter, "text"),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Reception.Category.choices)
    disposal = forms.ChoiceField(label=_("How it is dealt with"), choices=ReceptionMatter.Disposal.choices)
    referred_to = forms.ModelChoiceField(
        label=_("Sent to (unit)"), required=False, queryset=Unit.objects.none()
    )
    referred_to_name = forms.CharField(
        label=_("Or the town / authority sent to"), required=False, max_length=100
    )
    note = forms.CharField(
        label=_("Answer given on the spot"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=checks.limit(ReceptionMatter, "answer"),
    )
    amount = forms.DecimalField(
        label=_("Estimated value (yuan), for a small wish"), required=False, min_value=0, decimal_places=2
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["referred_to"].queryset = units


class BaseMatterFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not self.items():
            raise forms.ValidationError(_("Describe at least one matter the visitors raised."))

    def items(self) -> list[dict]:
        """The matters given: the blocks with a text (the others are skipped)."""
        return [
            {k: v for k, v in f.cleaned_data.items() if v not in (None, "")}
            for f in self.forms
            if f.cleaned_data and (f.cleaned_data.get("text") or "").strip()
        ]


MatterFormSet = forms.formset_factory(MatterForm, formset=BaseMatterFormSet, extra=3, max_num=20)


class MatterFilterForm(BootstrapForm):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *ReceptionMatter.Status.choices]
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    disposal = forms.ChoiceField(
        label=_("How it is dealt with"),
        required=False,
        choices=[("", _("Any way")), *ReceptionMatter.Disposal.choices],
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories")), *Reception.Category.choices]
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "status": data.get("status") or "",
            "overdue": bool(data.get("overdue")),
            "disposal": data.get("disposal") or "",
            "category": data.get("category") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }


class MatterAnswerForm(BootstrapForm):
    answer = forms.CharField(
        label=_("Answer"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=checks.limit(ReceptionMatter, "answer"),
    )
    answered_on = forms.DateField(
        label=_("Answered on"), widget=DateInput, validators=[checks.validate_past_date]
    )


class MatterFeedbackForm(BootstrapForm):
    feedback_on = forms.DateField(
        label=_("Visitor told on"), widget=DateInput, validators=[checks.validate_past_date]
    )
    how = forms.ChoiceField(label=_("How"), choices=ReceptionMatter.FeedbackHow.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
