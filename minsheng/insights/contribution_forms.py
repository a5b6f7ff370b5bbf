"""Forms of the social funds ledger; the services check everything again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.accounts.models import User
from minsheng.common.forms import BootstrapForm

from .campaign_models import Contribution


class ContributionFilterForm(BootstrapForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    purpose = forms.ChoiceField(
        label=_("Purpose"), required=False, choices=[("", _("Any purpose"))] + Contribution.Purpose.choices
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status"))] + Contribution.Status.choices
    )
    campaign = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "q": data["q"],
            "purpose": data["purpose"],
            "status": data["status"],
            "campaign_id": data["campaign"],
        }


class ContributionForm(BootstrapForm):
    donor = forms.ModelChoiceField(
        label=_("Donor account"),
        required=False,
        queryset=User.objects.filter(role=User.Role.DONOR, donor_profile__status="verified").order_by(
            "username"
        ),
    )
    donor_kind = forms.ChoiceField(
        label=_("Donor type"), required=False, choices=[("", "—")] + Contribution.DonorKind.choices
    )
    donor_name = forms.CharField(label=_("Giver's name (without an account)"), required=False, max_length=150)
    form = forms.ChoiceField(label=_("Money or goods"), choices=Contribution.Form.choices)
    amount = forms.DecimalField(
        label=_("Amount or value (yuan)"), required=False, max_digits=14, decimal_places=2
    )
    goods = forms.CharField(label=_("Goods"), required=False, max_length=200)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Contribution.Purpose.choices)
    campaign = forms.IntegerField(label=_("Campaign (number)"), required=False, min_value=1)
    case = forms.IntegerField(label=_("Wish (number)"), required=False, min_value=1)
    project = forms.IntegerField(label=_("Project (number)"), required=False, min_value=1)
    pledged_on = forms.DateField(label=_("Pledged on"), widget=forms.DateInput(attrs={"type": "date"}))
    receipt = forms.FileField(label=_("Receipt"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ContributionReceiveForm(BootstrapForm):
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
    receipt = forms.FileField(label=_("Receipt"), required=False)
