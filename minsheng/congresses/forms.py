from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.common import validators as checks
from minsheng.common.forms import BootstrapForm, DateInput

from .models import Congress


class CongressFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or place code"), required=False, max_length=50)
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *Congress.Level.choices]
    )
    all = forms.BooleanField(label=_("All regions"), required=False)


class TermForm(BootstrapForm):
    number = forms.IntegerField(label=_("Term number (届)"), min_value=1, max_value=999)
    start_date = forms.DateField(
        label=_("Start date"), widget=DateInput, validators=[checks.validate_planned_date]
    )
    end_date = forms.DateField(
        label=_("End date"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty while the term lasts; adding the next term closes it."),
        validators=[checks.validate_planned_date],
    )


class SessionForm(BootstrapForm):
    number = forms.IntegerField(label=_("Session number (次会议)"), min_value=1, max_value=999)
    start_date = forms.DateField(
        label=_("Start date"), widget=DateInput, validators=[checks.validate_planned_date]
    )
    end_date = forms.DateField(
        label=_("End date"), widget=DateInput, validators=[checks.validate_planned_date]
    )
