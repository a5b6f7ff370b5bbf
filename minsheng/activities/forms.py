"""Forms of the reception pages: input only; the rules are in services.py."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from minsheng.cases.models import Beneficiary, Case
from minsheng.common import validators as checks
from minsheng.common.forms import BootstrapForm, DateInput
from minsheng.common.idcard import parse_id_number
from minsheng.common.phones import normalize_mobile
from minsheng.common.widgets import SearchSelect, SearchSelectMultiple
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
    referred_to = forms.ModelChoiceField(
        label=_("Referred to"),
        required=False,
        queryset=Unit.objects.none(),
        widget=SearchSelect(kind="units"),
    )
    outcome_note = forms.CharField(
        label=_("Note on how it was dealt with"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=checks.limit(Reception, "outcome_note"),
    )

    def __init__(self, *args, deputies, units, with_matters=False, station_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        if with_matters:  # the matters come in the formset (MatterFormSet): the single-matter fields go
            for name in self.MATTER_FIELDS:
                del self.fields[name]
        self.fields["deputies"].queryset = deputies
        if "outcome" in self.fields:
            self.fields["outcome"].widget.attrs["class"] = "form-check-input"
        if "referred_to" in self.fields:
            self.fields["referred_to"].queryset = units
            if station_id is not None:
                self.fields["referred_to"].widget.pick_for(f"referral:{station_id}")


WISH_CATEGORIES = [(c, label) for c, label in Case.Category.choices if c in ("material", "service")]


def clean_beneficiary(data: dict, *, default_name: str = "", add_error) -> dict | None:
    """The beneficiary (受助对象) of a wish from a form's cleaned `data` (fields `beneficiary_*`): the address
    always, the name unless the reception's contact visitor is the beneficiary (`default_name`); an ID number
    and a mobile, when given, valid. Errors go to `add_error(field, message)`; None when there are some. The
    data goes only into the case (`cases.privacy` decides who reads it)."""
    name = (data.get("beneficiary_name") or "").strip()
    address = (data.get("beneficiary_address") or "").strip()
    ok = True
    if not name and not default_name:
        add_error("beneficiary_name", _("Enter the beneficiary's name."))
        ok = False
    if not address:
        add_error("beneficiary_address", _("Enter the beneficiary's address."))
        ok = False
    id_number = (data.get("beneficiary_id_number") or "").strip()
    if id_number:
        try:
            id_number = parse_id_number(id_number).number
        except ValidationError as exc:
            add_error("beneficiary_id_number", exc.messages[0])
            ok = False
    phone = (data.get("beneficiary_phone") or "").strip()
    if phone:
        try:
            phone = normalize_mobile(phone)
        except ValidationError as exc:
            add_error("beneficiary_phone", exc.messages[0])
            ok = False
    if not ok:
        return None
    return {
        "kind": data.get("beneficiary_kind") or Beneficiary.Kind.HOUSEHOLD,
        "group": data.get("beneficiary_group") or Beneficiary.Group.OTHER,
        "name": name or default_name,
        "id_number": id_number,
        "phone": phone,
        "address": address,
    }


class WishFieldsMixin(forms.Form):
    """The fields a 微心愿 needs besides the matter: what kind of wish, its estimated value and the
    beneficiary. Optional for the form (another kind ignores them); `clean_beneficiary` asks for them when
    the kind is a wish. Templates put `wish_fields()` in a `data-wish-block` that reception.js hides for
    another kind (without JavaScript they stay shown, marked as needed only for a wish)."""

    case_category = forms.ChoiceField(
        label=_("Kind of wish"), choices=WISH_CATEGORIES, required=False, initial="service"
    )
    beneficiary_kind = forms.ChoiceField(
        label=_("Beneficiary"), choices=Beneficiary.Kind.choices, required=False, initial="household"
    )
    beneficiary_group = forms.ChoiceField(
        label=_("Group"), choices=Beneficiary.Group.choices, required=False, initial="other"
    )
    beneficiary_name = forms.CharField(
        label=_("Name of the beneficiary"),
        max_length=checks.limit(Beneficiary, "name"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    beneficiary_id_number = forms.CharField(
        label=_("ID number"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    beneficiary_phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    beneficiary_address = forms.CharField(
        label=_("Address"),
        max_length=checks.limit(Beneficiary, "address"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    WISH_FIELDS = (
        "case_category",
        "beneficiary_kind",
        "beneficiary_group",
        "beneficiary_name",
        "beneficiary_id_number",
        "beneficiary_phone",
        "beneficiary_address",
    )

    def wish_fields(self) -> list:
        return [self[name] for name in self.WISH_FIELDS]

    def other_fields(self) -> list:
        return [f for f in self if f.name not in self.WISH_FIELDS]


class ReceptionToCaseForm(WishFieldsMixin, BootstrapForm):
    """记为个案 on a reception's page: a suggestion, a micro-wish (with its beneficiary) or a micro-project."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (k, label) for k, label in Case.Kind.choices if k in ("suggestion", "wish", "micro_project")
        ],
        widget=forms.Select(attrs={"data-wish-switch": "1"}),
    )
    deputy = forms.ModelChoiceField(label=_("Lead deputy"), queryset=Deputy.objects.none(), required=False)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    amount = forms.DecimalField(
        label=_("Estimated value or budget (yuan), for a micro-wish or a micro-project"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )

    field_order = ["kind", "deputy", "title", "amount"]

    def __init__(self, *args, deputies, contact_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.contact_name = contact_name
        self.fields["deputy"].queryset = deputies
        self.fields["deputy"].empty_label = _("(you, or the first deputy who received)")
        if contact_name:
            self.fields["beneficiary_name"].help_text = _(
                "Leave it empty when the beneficiary is the contact visitor."
            )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Case.Kind.WISH:
            if data.get("amount") is None and "amount" not in self.errors:
                self.add_error("amount", _("Enter the estimated value of the wish."))
            data["beneficiary"] = clean_beneficiary(
                data, default_name=self.contact_name, add_error=self.add_error
            )
        elif kind == Case.Kind.MICRO_PROJECT and data.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("Enter the budget of the micro-project."))
        return data

    def service_kwargs(self) -> dict:
        """The arguments of `services.reception_to_case` (the beneficiary only for a wish)."""
        data = self.cleaned_data
        wish = data["kind"] == Case.Kind.WISH
        return {
            "kind": data["kind"],
            "deputy": data.get("deputy"),
            "title": data.get("title") or "",
            "amount": data.get("amount"),
            "category": (data.get("case_category") or Case.Category.SERVICE) if wish else "",
            "beneficiary": data.get("beneficiary") if wish else None,
        }


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
        label=_("Deputies on duty"),
        queryset=Deputy.objects.none(),
        widget=SearchSelectMultiple(kind="deputies"),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, deputies, station_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = deputies
        self.fields["deputies"].widget.pick_for(f"reception_day:{station_id}")


class MatterForm(WishFieldsMixin, BootstrapForm):
    """One matter of the phone form; a blank one is skipped. A matter turned into a small wish (微心愿) is a
    case at once: its value, kind and beneficiary are asked for then (`wish_fields`, shown by reception.js only
    for that disposal; the beneficiary's name defaults to the contact visitor's, `contact_name`)."""

    text = forms.CharField(
        label=_("Matter"),
        required=False,  # a block without its text is skipped (the formset asks for one matter at least)
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=checks.limit(ReceptionMatter, "text"),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Reception.Category.choices)
    disposal = forms.ChoiceField(
        label=_("How it is dealt with"),
        choices=ReceptionMatter.Disposal.choices,
        widget=forms.Select(attrs={"data-wish-switch": "1"}),
    )
    referred_to = forms.ModelChoiceField(
        label=_("Sent to (unit)"),
        required=False,
        queryset=Unit.objects.none(),
        widget=SearchSelect(kind="units"),
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
        label=_("Estimated value (yuan), for a small wish"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )

    WISH_FIELDS = ("amount", *WishFieldsMixin.WISH_FIELDS)
    field_order = ["text", "category", "disposal", "referred_to", "referred_to_name", "note"]

    def __init__(self, *args, units=None, station_id=None, contact_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.contact_name = contact_name
        if units is not None:
            self.fields["referred_to"].queryset = units
        if station_id is not None:
            self.fields["referred_to"].widget.pick_for(f"referral:{station_id}")

    def has_changed(self) -> bool:
        """A block counts once its matter is written: a blank one is skipped whatever its choices (the wish's
        defaults included)."""
        return bool((self.data.get(self.add_prefix("text")) or "").strip()) if self.is_bound else False

    def clean(self):
        data = super().clean()
        if (data.get("text") or "").strip() and data.get("disposal") == ReceptionMatter.Disposal.WISH:
            if data.get("amount") is None and "amount" not in self.errors:
                self.add_error("amount", _("Enter the estimated value of the wish."))
            data["beneficiary"] = clean_beneficiary(
                data, default_name=self.contact_name, add_error=self.add_error
            )
        return data

    def matter_item(self) -> dict:
        """The matter as `services.reception_record` takes it (`matters=[...]`): the wish's fields only for a
        wish."""
        data = self.cleaned_data
        item = {
            k: data[k]
            for k in ("text", "category", "disposal", "referred_to", "referred_to_name", "note")
            if data.get(k) not in (None, "")
        }
        if data.get("disposal") == ReceptionMatter.Disposal.WISH:
            item["amount"] = data.get("amount")
            item["case_category"] = data.get("case_category") or Case.Category.SERVICE
            item["beneficiary"] = data.get("beneficiary")
        return item


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
            f.matter_item()
            for f in self.forms
            if f.cleaned_data and (f.cleaned_data.get("text") or "").strip()
        ]


MATTER_BLOCKS_MAX = 20  # as services.MATTERS_MAX
# One block to begin with; 「再加一项」 adds one (reception.js from `empty_form`, or the server without
# JavaScript), up to MATTER_BLOCKS_MAX.
MatterFormSet = forms.formset_factory(
    MatterForm,
    formset=BaseMatterFormSet,
    extra=1,
    max_num=MATTER_BLOCKS_MAX,
    validate_max=True,
    absolute_max=MATTER_BLOCKS_MAX,
)


def with_one_more_block(data, prefix: str = "matters"):
    """The posted data of the phone form with one more matter block (「再加一项」 without JavaScript), at most
    MATTER_BLOCKS_MAX."""
    data = data.copy()
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS", 1))
    except (TypeError, ValueError):
        total = 1
    data[f"{prefix}-TOTAL_FORMS"] = str(max(1, min(total + 1, MATTER_BLOCKS_MAX)))
    return data


def shown_as_typed(*forms_) -> None:
    """Re-render bound forms and formsets as typed, without checking them: 「再加一项」 asks for one more block,
    not to save, so the blocks left blank are no errors yet."""
    for form in forms_:
        if isinstance(form, forms.BaseFormSet):
            for inner in form.forms:
                inner._errors = ErrorDict()
            form._errors = []
            form._non_form_errors = form.error_class()
        else:
            form._errors = ErrorDict()


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
