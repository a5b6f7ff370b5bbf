"""Forms of the case pages: they only read and shape input; the rules are in services.py.

A service's refusal (DomainError) is shown next to the field it names; `FIELD_OF` maps the services' field
names to the fields of these forms where they differ.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.permissions import Role, has_role, staff_scope_prefix
from minsheng.common import validators as checks
from minsheng.common.errors import DomainError
from minsheng.common.forms import BootstrapForm, DateInput, MultipleFileField
from minsheng.common.forms import add_domain_error as _add_domain_error
from minsheng.common.idcard import validate_id_number
from minsheng.common.phones import validate_mobile
from minsheng.common.widgets import SearchSelect, SearchSelectMultiple
from minsheng.deputies.models import Deputy, Seat
from minsheng.places.models import Place
from minsheng.stations.models import Station
from minsheng.units.models import Unit

from . import services
from .actions import units_for_assigning
from .models import (
    Answer,
    Assignment,
    Beneficiary,
    Case,
    Claim,
    Document,
    FollowUpVisit,
    HandlingRecord,
    HomeVerification,
    Rating,
    ReassignmentRequest,
    SupervisionAction,
)

# Service field names → form field names, where the form asks differently (a seat = congress + deputy).
FIELD_OF = {
    "congress": "seat",
    "lead_deputy": "seat",
    "file": "photos",
}

UPLOAD_ACCEPT = "image/jpeg,image/png,image/webp,application/pdf"
MAX_PHOTOS = 9


def add_domain_error(form: forms.Form, exc: DomainError, *, file_field: str | None = None) -> None:
    """Show a service's refusal next to the field it concerns (or above the form), by `FIELD_OF`."""
    _add_domain_error(form, exc, field_of=FIELD_OF, file_field=file_field)


def _check_photos(files: list, *, images_only: bool = True) -> list:
    """Type and size of each upload, checked the way the service checks them, before anything is saved."""
    for upload in files:
        try:
            services.check_upload(upload, images_only=images_only)
        except DomainError as exc:
            raise ValidationError(exc.message, code=exc.code) from None  # the message names the file
    return files


# --- lists -------------------------------------------------------------------------------------------------


class CaseFilterForm(BootstrapForm):
    q = forms.CharField(
        label=_("Search title and content"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. 轮椅 or 路灯")}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Case.Kind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Case.Status.choices]
    )
    county = forms.ChoiceField(label=_("County"), required=False)
    place = forms.RegexField(
        label=_("Place code starts with"),
        required=False,
        regex=r"^\d{2,12}$",
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "440781"}),
    )
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    deputy = forms.CharField(label=_("Deputy (name)"), required=False, max_length=50)
    filed_from = forms.DateField(label=_("Filed from"), required=False, widget=DateInput)
    filed_to = forms.DateField(label=_("Filed until"), required=False, widget=DateInput)
    overdue = forms.BooleanField(label=_("Overdue"), required=False)
    priority = forms.BooleanField(label=_("Priority supervision (重点)"), required=False)
    queue = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20)

    def __init__(self, *args, counties=(), units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", _("All counties"))] + [(p.code, p.name) for p in counties]
        if units is None:
            del self.fields["unit"]
        else:
            self.fields["unit"].choices = [("", _("All units"))] + [(u.pk, u.name) for u in units]

    def filters(self) -> dict:
        """The selector's keyword arguments; an invalid filter is ignored rather than failing the page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        place = data.get("place") or ""
        if not place and data.get("county"):
            place = data["county"][:6]
        return {
            "q": data.get("q") or "",
            "kind": data.get("kind") or "",
            "status": data.get("status") or "",
            "place_prefix": place,
            "unit_id": data.get("unit"),
            "deputy_name": (data.get("deputy") or "").strip(),
            "filed_from": data.get("filed_from"),
            "filed_to": data.get("filed_to"),
            "overdue": bool(data.get("overdue")),
            "priority": bool(data.get("priority")),
        }


class InboxFilterForm(BootstrapForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            *[
                (value, label)
                for value, label in Assignment.Status.choices
                if value != Assignment.Status.REMOVED
            ],
        ],
    )


class WallFilterForm(BootstrapForm):
    township = forms.ChoiceField(label=_("Town or street"), required=False)
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *[c for c in Case.Category.choices if c[0]]],
    )
    group = forms.ChoiceField(
        label=_("Who is helped"), required=False, choices=[("", _("Everyone")), *Beneficiary.Group.choices]
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("All wishes")),
            ("open", _("Still needs help")),
            ("claimed", _("Claimed")),
            ("realised", _("Realised")),
        ],
    )

    def __init__(self, *args, townships=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("All of the city"))]
        groups: dict[str, list] = {}
        for township in townships:
            county = township.parent.name if township.parent_id else ""
            groups.setdefault(county, []).append((township.code, township.name))
        choices += list(groups.items())
        self.fields["township"].choices = choices

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "township_code": data.get("township") or "",
            "category": data.get("category") or "",
            "group": data.get("group") or "",
            "state": data.get("state") or "",
        }


class AnswerSearchForm(BootstrapForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. 路灯")}),
    )


# --- recording and editing a case --------------------------------------------------------------------------


def place_choices(places) -> list:
    """Places as options, indented by level so the hierarchy reads in a plain select."""
    indent = {"city": "", "county": "", "township": "· ", "village": "· · "}
    return [(p.pk, f"{indent.get(p.level, '')}{p.name}") for p in places]


class CaseForm(BootstrapForm):
    """Record a case (create) or correct it (edit). Kind-specific fields are dropped for other kinds."""

    keep_uploads = ("photos",)  # valid photos are kept while another field is corrected

    seat = forms.TypedChoiceField(label=_("Lead deputy and congress"), coerce=int)
    station = forms.ModelChoiceField(
        label=_("Collected at station"), queryset=Station.objects.none(), required=False
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    content = forms.CharField(
        label=_("Content"), widget=forms.Textarea(attrs={"rows": 5}), max_length=checks.limit(Case, "content")
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[c for c in Case.Category.choices if c[0]],
        widget=forms.RadioSelect,
    )
    amount = forms.DecimalField(
        label=_("Estimated value (yuan)"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    place = forms.TypedChoiceField(label=_("Place"), coerce=int, widget=SearchSelect(kind="places"))
    beneficiary_kind = forms.ChoiceField(
        label=_("Beneficiary"),
        choices=Beneficiary.Kind.choices,
        widget=forms.RadioSelect,
        initial="household",
    )
    beneficiary_group = forms.ChoiceField(label=_("Group"), choices=Beneficiary.Group.choices)
    beneficiary_name = forms.CharField(
        label=_("Name of the beneficiary"),
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    # The ID number and the phone are checked by the field (with every other field, in one round), then again
    # by the service.
    beneficiary_id_number = forms.CharField(
        label=_("ID number"),
        max_length=30,
        required=False,
        validators=[validate_id_number],
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    beneficiary_phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        validators=[validate_mobile],
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    beneficiary_address = forms.CharField(
        label=_("Address"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        help_text=_(
            "Up to 9 photos (JPEG, PNG or WebP, at most 10 MB each). They are never shown in public."
        ),
    )

    BENEFICIARY_FIELDS = (
        "beneficiary_kind",
        "beneficiary_group",
        "beneficiary_name",
        "beneficiary_id_number",
        "beneficiary_phone",
        "beneficiary_address",
    )

    def __init__(
        self,
        *args,
        kind: str,
        seats=None,
        stations=None,
        places=(),
        editing: bool = False,
        own_seats: bool = False,
        case_id: int | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.seats = {s.pk: s for s in (seats or [])}
        if editing:
            for name in ("seat", "station", "photos"):
                del self.fields[name]
        else:
            if own_seats:  # a deputy records as lead deputy: only the congress is a choice
                self.fields["seat"].label = _("Congress")
                self.fields["seat"].choices = [(s.pk, s.congress.name) for s in self.seats.values()]
            else:
                self.fields["seat"].choices = [(s.pk, self.seat_label(s)) for s in self.seats.values()]
            if stations is None:
                del self.fields["station"]
            else:
                self.fields["station"].queryset = stations
        self.fields["place"].choices = place_choices(places)
        # The picker searches the places of the chosen seat's congress (create), or of the case's (edit).
        self.fields["place"].widget.pick_for(f"case:{case_id}" if editing else "record:{seat}")
        if kind != Case.Kind.WISH:
            del self.fields["category"]
            for name in self.BENEFICIARY_FIELDS:
                del self.fields[name]
        if kind == Case.Kind.MICRO_PROJECT:
            self.fields["amount"].label = _("Budget (yuan)")
        elif kind == Case.Kind.SUGGESTION:
            del self.fields["amount"]

    @staticmethod
    def seat_label(seat: Seat) -> str:
        return f"{seat.deputy.name} · {seat.congress.name}"

    def clean_photos(self):
        return _check_photos(self.cleaned_data.get("photos") or [])

    def clean_seat(self):
        seat = self.seats.get(self.cleaned_data["seat"])
        if seat is None:
            raise ValidationError(
                _("Choose the lead deputy and congress from the list."), code="invalid_choice"
            )
        return seat

    def clean(self):
        data = super().clean()
        seat, place_id = data.get("seat"), data.get("place")
        if place_id is not None:
            place = Place.objects.filter(pk=place_id).first()
            if place is None:
                self.add_error("place", _("Choose a place from the list."))
            elif seat is not None and not place.code.startswith(seat.congress.region_prefix):
                self.add_error(
                    "place",
                    _("Choose a place within the region of %(congress)s.") % {"congress": seat.congress.name},
                )
            else:
                data["place"] = place
        return data

    def beneficiary(self) -> dict | None:
        if self.kind != Case.Kind.WISH:
            return None
        data = self.cleaned_data
        return {
            "kind": data["beneficiary_kind"],
            "group": data["beneficiary_group"],
            "name": data["beneficiary_name"],
            "id_number": data.get("beneficiary_id_number", ""),
            "phone": data.get("beneficiary_phone", ""),
            "address": data["beneficiary_address"],
        }


def seats_for_recording(actor):
    """The seats a case may be recorded under by this actor: a deputy's own active seats, those of the
    deputies attached to a station for its staff, every active seat in the region for congress staff."""
    seats = Seat.objects.filter(status=Seat.Status.ACTIVE).select_related("deputy", "congress")
    if has_role(actor, Role.DEPUTY):
        return seats.filter(deputy_id=actor.deputy_id).order_by("congress__region_prefix")
    if has_role(actor, Role.STATION_STAFF):
        return seats.filter(deputy__station_attachments__station_id=actor.station_id).order_by(
            "deputy__name_sort", "congress__region_prefix"
        )
    prefix = staff_scope_prefix(actor)
    if prefix is None:
        return seats.none()
    return seats.filter(congress__region_prefix__startswith=prefix).order_by(
        "congress__region_prefix", "deputy__name_sort"
    )


def places_within_queryset(prefixes):
    """Places from the township down within the regions of the given congresses (and the congresses' own):
    what the place of a case may be (the form's choices and the picker's scope)."""
    from django.db.models import Q

    prefixes = sorted(set(prefixes))
    if not prefixes:
        return Place.objects.none()
    query = Q()
    for prefix in prefixes:
        query |= Q(code__startswith=prefix)
    own_levels = ["city", "county", "township", "village"]
    return (
        Place.objects.filter(query, level__in=own_levels, is_administrative=True)
        .only("id", "code", "name", "level")
        .order_by("code")
    )


def places_within(prefixes) -> list[Place]:
    return list(places_within_queryset(prefixes))


# --- actions on the case page -------------------------------------------------------------------------------


class EmptyForm(BootstrapForm):
    """An action without input (accept, acknowledge, publish, confirm a delivery)."""


class VerifyForm(BootstrapForm):
    visited_on = forms.DateField(
        label=_("Visited on"), widget=DateInput, validators=[checks.validate_past_date]
    )
    visitors = forms.CharField(label=_("Who visited"), max_length=200)
    findings = forms.CharField(
        label=_("Findings"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=checks.limit(HomeVerification, "findings"),
    )
    confirmed = forms.BooleanField(label=_("The need is confirmed"), required=False, initial=True)


def cosigner_choices(case: Case):
    """The deputies who may co-sign a case: active seats in its congress, the lead deputy aside (the form's
    choices and the picker's scope)."""
    return (
        Deputy.objects.filter(seats__congress_id=case.congress_id, seats__status=Seat.Status.ACTIVE)
        .exclude(pk=case.lead_deputy_id)
        .distinct()
        .order_by("name_sort")
    )


class FileForm(BootstrapForm):
    cosigners = forms.ModelMultipleChoiceField(
        label=_("Co-signing deputies (附议)"),
        queryset=Deputy.objects.none(),
        required=False,
        widget=SearchSelectMultiple(kind="deputies"),
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cosigners"].queryset = cosigner_choices(case)
        self.fields["cosigners"].widget.pick_for(f"cosign:{case.pk}")


class WithdrawForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Reason for withdrawing (in writing)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=checks.limit(Case, "status_note"),
    )
    letter = forms.FileField(
        label=_("Written withdrawal (scan or photo)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": UPLOAD_ACCEPT}),
    )

    def clean_letter(self):
        letter = self.cleaned_data.get("letter")
        if letter:
            _check_photos([letter], images_only=False)
        return letter


class RefuseForm(BootstrapForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=Case.RefuseReason.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=checks.limit(Case, "status_note"),
    )


class NoteForm(BootstrapForm):
    """Return for revision, close without another round: a written note is the whole input."""

    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=checks.NOTE)


class CloseUnratedForm(BootstrapForm):
    """未反馈: close a case the deputy did not rate by the deadline; a note is optional."""

    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MergeForm(BootstrapForm):
    into = forms.CharField(
        label=_("Merge into case number"),
        max_length=20,
        help_text=_("The number of the case this one duplicates, e.g. 2025S0000012."),
    )

    def __init__(self, *args, scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope

    def clean_into(self):
        value = self.cleaned_data["into"].strip().upper()
        target = self.scope.filter(number=value).first() if self.scope is not None else None
        if target is None:
            raise ValidationError(_("No case with this number is within your view."), code="not_found")
        return target


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class AssignForm(BootstrapForm):
    MODES = [("lead", _("A lead unit, with assisting units if needed")), ("split", _("Split handling"))]

    mode = forms.ChoiceField(label=_("How"), choices=MODES, initial="lead", widget=forms.RadioSelect)
    lead = UnitChoiceField(
        label=_("Lead unit (主办)"),
        queryset=Unit.objects.none(),
        required=False,
        widget=SearchSelect(kind="units"),
    )
    assisting = UnitMultipleChoiceField(
        label=_("Assisting units (协办)"),
        queryset=Unit.objects.none(),
        required=False,
        widget=SearchSelectMultiple(kind="units", attrs={"size": 5}),
    )
    split = UnitMultipleChoiceField(
        label=_("Units answering each their part (分办)"),
        queryset=Unit.objects.none(),
        required=False,
        widget=SearchSelectMultiple(kind="units", attrs={"size": 5}),
    )
    hard = forms.BooleanField(
        label=_("Broad or hard: 6 months to answer"),
        required=False,
        help_text=_("Not used when reassigning after 不满意 (one month to answer again)."),
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        units = units_for_assigning(case)
        for name in ("lead", "assisting", "split"):
            self.fields[name].queryset = units
            self.fields[name].widget.pick_for(f"assign:{case.pk}")
        self.fields["lead"].widget.attrs["data-show-when"] = "mode=lead"
        self.fields["assisting"].widget.attrs["data-show-when"] = "mode=lead"
        self.fields["split"].widget.attrs["data-show-when"] = "mode=split"
        self.fields["hard"].initial = case.is_hard


class ReasonForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=checks.NOTE
    )


class ReassignmentDecideForm(BootstrapForm):
    DECISIONS = [("confirm", _("Confirm the assignment")), ("reassign", _("Reassign to another unit"))]

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    reassign_to = UnitChoiceField(
        label=_("New unit"), queryset=Unit.objects.none(), required=False, widget=SearchSelect(kind="units")
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=checks.limit(ReassignmentRequest, "decision_note"),
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reassign_to"].queryset = units_for_assigning(case)
        self.fields["reassign_to"].widget.pick_for(f"assign:{case.pk}")
        self.fields["reassign_to"].widget.attrs["data-show-when"] = "decision=reassign"

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reassign" and not data.get("reassign_to"):
            self.add_error("reassign_to", _("Choose the unit to reassign to."))
        return data


class HandlingRecordForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=HandlingRecord.Kind.choices)
    happened_on = forms.DateField(label=_("Date"), widget=DateInput, validators=[checks.validate_past_date])
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=checks.limit(HandlingRecord, "note"),
    )


class OpinionForm(BootstrapForm):
    opinion = forms.CharField(
        label=_("Opinion to the lead unit"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=checks.limit(Assignment, "opinion"),
    )


class UploadForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=[])
    file = forms.FileField(label=_("File"), widget=forms.ClearableFileInput(attrs={"accept": UPLOAD_ACCEPT}))

    def __init__(self, *args, handler: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = (
            [Document.Kind.EVIDENCE, Document.Kind.OTHER]
            if handler
            else [
                Document.Kind.PHOTO,
                Document.Kind.WITHDRAWAL,
                Document.Kind.OTHER,
            ]
        )
        self.fields["kind"].choices = [(k.value, k.label) for k in kinds]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        _check_photos([upload], images_only=False)
        return upload


class AnswerForm(BootstrapForm):
    answer_class = forms.ChoiceField(label=_("Answer class"), choices=[], widget=forms.RadioSelect)
    text = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 6}), max_length=checks.limit(Answer, "text")
    )
    signed_by = forms.CharField(label=_("Signed by (head of the unit)"), max_length=50)
    document_number = forms.CharField(
        label=_("Document number (文号)"),
        required=False,
        max_length=checks.limit(Answer, "document_number"),
        help_text=_(
            "As on the unit's letter, e.g. 台府函〔2026〕12号; left blank, the printed letter has a line for it."
        ),
    )
    disclosure = forms.ChoiceField(
        label=_("Disclosure (公开属性)"),
        choices=Answer.Disclosure.choices,
        initial=Answer.Disclosure.ACTIVE,
        widget=forms.RadioSelect,
        required=False,  # not given: 主动公开, as in the service and the API
    )
    contact_name = forms.CharField(
        label=_("Contact person"), required=False, max_length=checks.limit(Answer, "contact_name")
    )
    contact_phone = forms.CharField(
        label=_("Contact telephone"),
        required=False,
        max_length=checks.limit(Answer, "contact_phone"),
        help_text=_("Printed on the answer letter with the contact person."),
    )

    def clean_disclosure(self):
        return self.cleaned_data.get("disclosure") or Answer.Disclosure.ACTIVE

    def __init__(self, *args, rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer_class"].choices = [
            (c["code"], f"{c['code']} {c['label']}") for c in rules.answer_classes
        ]


class RatingForm(BootstrapForm):
    value = forms.ChoiceField(
        label=_("Your view of the answer"), choices=Rating.Value.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when dissatisfied."),
        max_length=checks.limit(Rating, "comment"),
    )


class FollowUpForm(BootstrapForm):
    visited_on = forms.DateField(
        label=_("Visited on"), widget=DateInput, validators=[checks.validate_past_date]
    )
    wish_met = forms.BooleanField(label=_("The family says the wish was met"), required=False)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=checks.limit(FollowUpVisit, "note"),
    )


class PriorityForm(BootstrapForm):
    """重点督办 on (the 主任会议's decision: its date, name and who proposed it) or off (a note)."""

    priority = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1", widget=forms.HiddenInput
    )
    meeting_date = forms.DateField(
        label=_("Date of the chairpersons' meeting"),
        required=False,
        widget=DateInput,
        validators=[checks.validate_past_date],
    )
    meeting_name = forms.CharField(
        label=_("Meeting (e.g. 第5次主任会议)"),
        required=False,
        max_length=100,
    )
    proposed_by = forms.CharField(label=_("Proposed by"), required=False, max_length=200)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=checks.limit(SupervisionAction, "note"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        data = args[0] if args else kwargs.get("data")
        marking = (data.get("priority") if data else self.initial.get("priority")) != "0"
        if marking:
            for name in ("meeting_date", "meeting_name", "proposed_by"):
                self.fields[name].required = True
        else:
            for name in ("meeting_date", "meeting_name", "proposed_by"):
                del self.fields[name]
            self.fields["note"].required = True
            self.fields["note"].label = _("Why priority supervision is lifted")

    def clean(self):
        data = super().clean()
        for name in ("meeting_date", "meeting_name", "proposed_by"):
            data.setdefault(name, None if name == "meeting_date" else "")
        return data


class PriorityListForm(BootstrapForm):
    year = forms.IntegerField(
        label=_("Year of the meeting"),
        required=False,
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"list": "priority-years", "inputmode": "numeric"}),
    )


class ExtensionRequestForm(BootstrapForm):
    requested_due = forms.DateField(label=_("New answer date asked for"), widget=DateInput)
    reason = forms.CharField(label=_("Reasons"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionDecideForm(BootstrapForm):
    DECISIONS = [("grant", _("Grant the extension")), ("refuse", _("Refuse it"))]

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    new_due = forms.DateField(
        label=_("New answer date"),
        required=False,
        widget=DateInput,
        help_text=_("Empty: the date asked for."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when refusing."),
    )


class FulfilForm(BootstrapForm):
    photos = MultipleFileField(
        label=_("Photos of the hand-over"),
        help_text=_("1 to 9 photos (JPEG, PNG or WebP)."),
    )
    note = forms.CharField(
        label=_("What the unit delivered"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_photos(self):
        return _check_photos(self.cleaned_data.get("photos") or [])


class SuperviseForm(BootstrapForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (k.value, k.label)
            for k in (
                SupervisionAction.Kind.CHASE,
                SupervisionAction.Kind.VISIT,
                SupervisionAction.Kind.INQUIRY,
            )
        ],
    )
    note = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=checks.limit(SupervisionAction, "note"),
    )


class PutOnWallForm(BootstrapForm):
    public_summary = forms.CharField(
        label=_("What the wish wall shows"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 200}),
        help_text=_("The need in a few words. No name, ID number, phone, address or village."),
    )


class ClaimForm(BootstrapForm):
    kind = forms.ChoiceField(
        label=_("How you help"),
        choices=[(Claim.Kind.WHOLE, _("Claim the whole wish")), (Claim.Kind.SHARE, _("Pledge a share"))],
        widget=forms.RadioSelect,
        initial=Claim.Kind.WHOLE,
    )
    amount = forms.DecimalField(
        label=_("Amount you pledge (yuan)"),
        required=False,
        max_digits=10,
        decimal_places=2,
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )


class DeliverForm(BootstrapForm):
    photos = MultipleFileField(
        label=_("Photos of the hand-over"),
        help_text=_("1 to 9 photos (JPEG, PNG or WebP)."),
    )

    def clean_photos(self):
        return _check_photos(self.cleaned_data.get("photos") or [])
