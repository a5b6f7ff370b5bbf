"""Forms of the vote pages: they check the shape of the input; the services decide the rest."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.common import validators as checks
from minsheng.congresses.models import Congress, Session
from minsheng.places.models import Place
from minsheng.units.models import Unit

from .models import BallotChoice, Candidate, Proposal, VoteSession
from .selectors import lead_units_for, places_for  # the choices actions.py offers

SELECTION_MARKS = [
    (BallotChoice.Choice.FOR, BallotChoice.Choice.FOR.label),
    (BallotChoice.Choice.AGAINST, BallotChoice.Choice.AGAINST.label),
    (BallotChoice.Choice.ABSTAIN, BallotChoice.Choice.ABSTAIN.label),
]
SATISFACTION_MARKS = [
    (BallotChoice.Choice.SATISFIED, BallotChoice.Choice.SATISFIED.label),
    (BallotChoice.Choice.MOSTLY, BallotChoice.Choice.MOSTLY.label),
    (BallotChoice.Choice.DISSATISFIED, BallotChoice.Choice.DISSATISFIED.label),
]


def style(form: forms.Form) -> None:
    """Bootstrap classes on the widgets (the ballot's radio buttons keep their own)."""
    for field in form.fields.values():
        widget = field.widget
        if widget.attrs.get("class"):
            continue
        if isinstance(widget, forms.Select | forms.SelectMultiple) and not isinstance(
            widget, forms.CheckboxSelectMultiple
        ):
            widget.attrs["class"] = "form-select"
        elif isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
            widget.attrs["class"] = "form-check-input"
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs["class"] = "form-control"


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


def marks_for(vote) -> list:
    return SATISFACTION_MARKS if vote.kind == VoteSession.Kind.SATISFACTION else SELECTION_MARKS


class SolicitationForm(StyledForm):
    congress = forms.ModelChoiceField(label=_("Congress"), queryset=Congress.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200)
    opens_on = forms.DateField(
        label=_("Opens on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[checks.validate_planned_date],
    )
    closes_on = forms.DateField(
        label=_("Closes on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[checks.validate_planned_date],
    )

    def __init__(self, *args, prefix_scope: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = Congress.objects.filter(
            region_prefix__startswith=prefix_scope or ""
        ).exclude(level=Congress.Level.NATIONAL)

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("The window closes before it opens."))
        return data


class ScreenForm(StyledForm):
    accept = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Accept")), ("0", _("Reject"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", "—"), *Proposal.RejectReason.choices], required=False
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def clean(self):
        data = super().clean()
        if data.get("accept") is False and not data.get("reason"):
            self.add_error("reason", _("Give the reason for rejecting the proposal."))
        if data.get("accept"):
            data["reason"] = ""
        return data


class CandidateForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=checks.limit(Candidate, "description"),
    )
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=Unit.objects.none())
    budget = forms.DecimalField(
        label=_("Budget (10,000 yuan)"), min_value=Decimal("0"), max_digits=12, decimal_places=2
    )
    place = forms.ModelChoiceField(label=_("Place"), queryset=Place.objects.none(), required=False)
    proposal = forms.ModelChoiceField(
        label=_("From proposal"), queryset=Proposal.objects.none(), required=False
    )

    def __init__(self, *args, solicitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = lead_units_for(solicitation.congress)
        self.fields["place"].queryset = places_for(solicitation.congress)
        self.fields["proposal"].queryset = solicitation.proposals.filter(status=Proposal.Status.ACCEPTED)


class VoteForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    session = forms.ModelChoiceField(label=_("Congress session"), queryset=Session.objects.none())
    seats = forms.IntegerField(label=_("Projects to choose (N)"), min_value=1, max_value=100)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (VoteSession.Kind.SELECTION, VoteSession.Kind.SELECTION.label),
            (VoteSession.Kind.SATISFACTION, VoteSession.Kind.SATISFACTION.label),
        ],
        initial=VoteSession.Kind.SELECTION,
    )
    candidates = forms.ModelMultipleChoiceField(
        label=_("Candidates"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, solicitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.filter(
            term__congress=solicitation.congress
        ).order_by("-start_date")
        self.fields["candidates"].queryset = solicitation.candidates.order_by("number")
        self.fields["candidates"].initial = list(solicitation.candidates.values_list("pk", flat=True))


class BallotForm(StyledForm):
    """One mark per candidate; for a paper entry also the paper's serial number."""

    def __init__(self, *args, vote, candidates, with_serial=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.vote = vote
        self.candidates = candidates
        if with_serial:
            self.fields["serial"] = forms.CharField(label=_("Paper ballot number"), max_length=20)
        for candidate in candidates:
            self.fields[f"c{candidate.pk}"] = forms.ChoiceField(
                label=str(candidate),
                choices=marks_for(vote),
                widget=forms.RadioSelect(attrs={"class": "btn-check", "autocomplete": "off"}),
                error_messages={"required": _("Mark this project.")},
            )
        style(self)

    def candidate_fields(self):
        return [(candidate, self[f"c{candidate.pk}"]) for candidate in self.candidates]

    def clean(self):
        data = super().clean()
        if self.vote.kind != VoteSession.Kind.SATISFACTION:
            marked_for = sum(1 for c in self.candidates if data.get(f"c{c.pk}") == BallotChoice.Choice.FOR)
            if marked_for > self.vote.seats:
                raise forms.ValidationError(
                    _(
                        "You marked %(marked)s projects For; at most %(seats)s may be chosen. Nothing was saved."
                    ),
                    params={"marked": marked_for, "seats": self.vote.seats},
                    code="too_many_for",
                )
        return data

    def choices(self) -> dict:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.candidates}


class ProposalForm(StyledForm):
    title = forms.CharField(label=_("Project"), max_length=200)
    description = forms.CharField(
        label=_("What should be done, where, and who benefits"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=checks.limit(Proposal, "description"),
    )
    place = forms.ModelChoiceField(label=_("Place"), queryset=Place.objects.none(), required=False)
    # Anti-abuse: a field people don't see (bots fill it) and a signed time stamp (a minimum fill time).
    website = forms.CharField(required=False, label=_("Leave this empty"))
    stamp = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, solicitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places_for(solicitation.congress)


class RunoffForm(StyledForm):
    """The presidium's decision. Rendered with the decisions the rules allow (tally.Result.decisions); a posted
    decision the rules refuse is refused by the service, with its reason."""

    hold = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Hold a further ballot")), ("0", _("Leave the seats empty"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(
        label=_("The presidium's decision"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=checks.limit(VoteSession, "presidium_decision"),
    )

    def __init__(self, *args, decisions=(True, False), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hold"].choices = [
            (value, label) for value, label in self.fields["hold"].choices if (value == "1") in decisions
        ]


class ReceiptForm(StyledForm):
    receipt = forms.CharField(label=_("Receipt code"), max_length=32)

    def clean_receipt(self):
        return self.cleaned_data["receipt"].strip()
