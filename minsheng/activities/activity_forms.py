"""Forms of the activity pages: input only; the rules are in activity_services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.common.forms import BootstrapForm, DateInput
from minsheng.common.widgets import SearchSelect, SearchSelectMultiple
from minsheng.congresses.models import Congress
from minsheng.deputies.models import Deputy
from minsheng.places.models import Place
from minsheng.stations.models import Station

from .forms import DateTimeInput
from .models import Activity, ActivityKind, Campaign, Participation


class ActivityFilterForm(BootstrapForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ModelChoiceField(label=_("Kind"), queryset=ActivityKind.objects.none(), required=False)
    congress = forms.ModelChoiceField(label=_("Congress"), queryset=Congress.objects.none(), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Activity.Status.choices]
    )

    def __init__(self, *args, kinds, congresses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = kinds
        self.fields["congress"].queryset = congresses

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "q": (data.get("q") or "").strip(),
            "kind": data.get("kind"),
            "congress": data.get("congress"),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "status": data.get("status") or "",
        }


class ActivityForm(BootstrapForm):
    kind = forms.ModelChoiceField(label=_("Kind"), queryset=ActivityKind.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    congress = forms.ModelChoiceField(label=_("Organising congress"), queryset=Congress.objects.none())
    place = forms.ModelChoiceField(
        label=_("Place"), queryset=Place.objects.none(), widget=SearchSelect(kind="places", short=300)
    )
    location = forms.CharField(label=_("Where"), max_length=200)
    station = forms.ModelChoiceField(
        label=_("Liaison station"), queryset=Station.objects.none(), required=False
    )
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DateTimeInput)
    topic = forms.CharField(
        label=_("Topic"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    leader = forms.CharField(label=_("Leader met"), required=False, max_length=100)
    signup_open = forms.BooleanField(label=_("Deputies may sign up themselves"), required=False)
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )

    def __init__(self, *args, kinds, congresses, places, stations, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = kinds
        self.fields["congress"].queryset = congresses
        self.fields["place"].queryset = places
        self.fields["station"].queryset = stations
        if editing:
            del self.fields["congress"]
        else:
            del self.fields["minutes"]


class InviteForm(BootstrapForm):
    """Deputies to invite: any of `deputies` (the invitable ones) is accepted; the list shows `shown` (those
    matching the search box, `activity_selectors.deputies_matching`) and those already chosen."""

    deputies = forms.ModelMultipleChoiceField(
        label=_("Deputies"),
        queryset=Deputy.objects.none(),
        widget=SearchSelectMultiple(kind="deputies", attrs={"size": 8}),
    )

    def __init__(self, *args, deputies, shown=None, activity_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["deputies"]
        field.queryset = deputies
        if shown is not None:
            field.widget.choices = [(d.pk, d.name) for d in shown]
        if (
            activity_id is not None
        ):  # with JavaScript, a type-ahead over the same deputies (activities.pickers)
            field.widget.pick_for(f"invite:{activity_id}")


class AttendanceForm(BootstrapForm):
    deputy = forms.ModelChoiceField(label=_("Deputy"), queryset=Deputy.objects.none())
    status = forms.ChoiceField(
        label=_("Attendance"),
        choices=[
            (Participation.Status.PRESENT, _("Present")),
            (Participation.Status.LEAVE, _("On leave")),
            (Participation.Status.ABSENT, _("Absent")),
        ],
    )
    leave_reason = forms.CharField(label=_("Reason for leave"), required=False, max_length=200)
    in_full = forms.BooleanField(label=_("Attended in full"), required=False, initial=True)

    def __init__(self, *args, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies


class CancelForm(BootstrapForm):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=2000)


class PhotoForm(BootstrapForm):
    photo = forms.FileField(label=_("Photo"), widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))


class ReportForm(BootstrapForm):
    report = forms.FileField(label=_("Report (PDF or photo)"))


class SuggestionForm(BootstrapForm):
    deputy = forms.ModelChoiceField(label=_("Lead deputy"), queryset=Deputy.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)

    def __init__(self, *args, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies


class LinkCaseForm(BootstrapForm):
    case = forms.IntegerField(label=_("Case id"), min_value=1)


class ElectoralUnitCheckForm(BootstrapForm):
    congress = forms.ModelChoiceField(label=_("Congress"), queryset=Congress.objects.none())
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none(), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def __init__(self, *args, congresses, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses
        self.fields["campaign"].queryset = campaigns


class ChecksForm(BootstrapForm):
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)


class KindForm(BootstrapForm):
    congress = forms.ModelChoiceField(label=_("Congress"), queryset=Congress.objects.none())
    name = forms.CharField(label=_("Name of the kind"), max_length=50)

    def __init__(self, *args, congresses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses
