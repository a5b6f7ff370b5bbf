from django import forms
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    email = forms.BooleanField(label=_("Send me a copy by e-mail"), required=False)
    sms = forms.BooleanField(label=_("Send me a copy by SMS"), required=False)
    digest = forms.BooleanField(
        label=_("A daily digest instead"),
        required=False,
        help_text=_(
            "The e-mail and SMS copies of a day are collected and sent once, in the evening, as one message."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-check-input"
