"""The campaign form (集中履职月): the fields staff fill; the service checks them again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.common.forms import BootstrapForm

from .models import Campaign


class CampaignForm(BootstrapForm, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "name",
            "slogan",
            "theme",
            "starts_on",
            "ends_on",
            "target_receptions_per_station",
            "target_participation_percent",
            "target_wishes",
            "target_funds",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "theme": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"target_funds": _("Yuan; leave empty for no target.")}

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The campaign cannot end before it starts."))
        return data

    def _post_clean(self):
        # The model's check constraints are the service's business (it answers in words).
        pass
