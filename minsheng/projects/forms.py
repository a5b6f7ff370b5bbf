"""Forms of the project pages: they shape the input; the services decide the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.common import validators as checks
from minsheng.common.forms import BootstrapForm, DateInput, MultipleFileField, add_domain_error  # noqa: F401
from minsheng.congresses.models import Congress, Session
from minsheng.deputies.models import Deputy, Seat
from minsheng.places.models import Place
from minsheng.units.models import Unit
from minsheng.voting.models import VoteSession
from minsheng.voting.selectors import lead_units_for, places_for

from .models import Inspection, ProgressReport, Project


def _congress_deputies(congress, *, active_only: bool = True):
    seats = Seat.objects.filter(congress=congress)
    if active_only:
        seats = seats.filter(status=Seat.Status.ACTIVE)
    return Deputy.objects.filter(pk__in=seats.values("deputy_id")).order_by("name")


class FilterForm(BootstrapForm):
    congress = forms.ModelChoiceField(label=_("Congress"), queryset=Congress.objects.none(), required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "—"), *Project.Status.choices], required=False
    )
    unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=Unit.objects.none(), required=False)
    late = forms.BooleanField(label=_("Late milestones only"), required=False)

    def __init__(self, *args, prefix_scope: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = Congress.objects.filter(
            region_prefix__startswith=prefix_scope
        ).exclude(level=Congress.Level.NATIONAL)
        self.fields["unit"].queryset = Unit.objects.filter(
            congress__region_prefix__startswith=prefix_scope, livelihood_projects__isnull=False
        ).distinct()


class PublicFilterForm(BootstrapForm):
    congress = forms.ModelChoiceField(
        label=_("Congress"),
        queryset=Congress.objects.filter(projects__isnull=False).distinct(),
        required=False,
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)


class CreateForVoteForm(BootstrapForm):
    vote = forms.ModelChoiceField(label=_("Published vote"), queryset=VoteSession.objects.none())

    def __init__(self, *args, prefix_scope: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vote"].queryset = VoteSession.objects.filter(
            congress__region_prefix__startswith=prefix_scope,
            status=VoteSession.Status.PUBLISHED,
            kind__in=[VoteSession.Kind.SELECTION, VoteSession.Kind.RUNOFF],
        ).select_related("congress")


class ProjectForm(BootstrapForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=checks.limit(Project, "description"),
    )
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=Unit.objects.filter(is_active=True))
    budget = forms.DecimalField(label=_("Budget (10,000 yuan)"), min_value=0, max_digits=12, decimal_places=2)
    place = forms.ModelChoiceField(label=_("Place"), queryset=Place.objects.none(), required=False)
    leader_name = forms.CharField(label=_("Responsible leader"), max_length=50, required=False)
    leader_post = forms.CharField(
        label=_("Leader's post"),
        max_length=100,
        required=False,
        help_text=_("e.g. Vice-chair of the standing committee"),
    )

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        # the choices of actions.py's "update"
        self.fields["lead_unit"].queryset = lead_units_for(project.congress)
        self.fields["place"].queryset = places_for(project.congress)


class GroupForm(BootstrapForm):
    deputies = forms.ModelMultipleChoiceField(
        label=_("Deputies"),
        queryset=Deputy.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    leader = forms.ModelChoiceField(label=_("Group leader"), queryset=Deputy.objects.none(), required=False)

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        deputies = _congress_deputies(project.congress)
        self.fields["deputies"].queryset = deputies
        self.fields["leader"].queryset = deputies


class MilestoneForm(BootstrapForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput(), validators=[checks.validate_planned_date])
    weight = forms.IntegerField(label=_("Weight (%)"), min_value=1, max_value=100)


class DoneForm(BootstrapForm):
    done_on = forms.DateField(
        label=_("Done on"), widget=DateInput(), required=False, validators=[checks.validate_past_date]
    )


class CompleteForm(BootstrapForm):
    completed_on = forms.DateField(
        label=_("Completed on"), widget=DateInput(), required=False, validators=[checks.validate_past_date]
    )


class TerminateForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Reason for terminating"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The standing committee's (or presidium's) decision and its grounds."),
        max_length=checks.limit(Project, "termination_reason"),
    )


class ReportForm(BootstrapForm):
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    narrative = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=checks.limit(ProgressReport, "narrative"),
    )
    photos = MultipleFileField(label=_("Photos"), required=False, max_files=ProgressReport.MAX_PHOTOS)
    is_public = forms.BooleanField(label=_("May be shown publicly"), required=False)


class InspectionForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Inspection.Kind.choices)
    held_on = forms.DateField(label=_("Date"), widget=DateInput(), validators=[checks.validate_past_date])
    deputies = forms.ModelMultipleChoiceField(
        label=_("Deputies taking part"), queryset=Deputy.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    findings = forms.CharField(
        label=_("What was found"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=checks.limit(Inspection, "findings"),
    )
    suggestions = forms.CharField(
        label=_("Suggestions"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=checks.limit(Inspection, "suggestions"),
    )

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = _congress_deputies(project.congress, active_only=False)


class SatisfactionVoteForm(BootstrapForm):
    congress = forms.ModelChoiceField(label=_("Congress"), queryset=Congress.objects.none())
    year = forms.IntegerField(label=_("Year of the projects"), min_value=2000, max_value=2100)
    session = forms.ModelChoiceField(
        label=_("Session at which the deputies rate them"), queryset=Session.objects.none()
    )

    def __init__(self, *args, prefix_scope: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = Congress.objects.filter(
            region_prefix__startswith=prefix_scope, projects__isnull=False
        ).distinct()
        self.fields["session"].queryset = (
            Session.objects.filter(term__congress__region_prefix__startswith=prefix_scope)
            .select_related("term", "term__congress")
            .order_by("-start_date")
        )
