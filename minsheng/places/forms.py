from django import forms
from django.utils.translation import gettext_lazy as _

from minsheng.common.forms import BootstrapForm

from .models import Place


class PlaceFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), required=False, max_length=50)
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *Place.Level.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *[(v, label) for v, label in Place.Kind.choices if v]],
    )
    parent = forms.CharField(required=False, max_length=12, widget=forms.HiddenInput)


class PlaceCreateForm(BootstrapForm):
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, parent: Place, **kwargs):
        super().__init__(*args, **kwargs)
        level = parent.child_level or ""
        kinds = Place.KINDS_OF_LEVEL.get(level, ("",))
        self.fields["kind"].choices = [(k, Place.Kind(k).label) for k in kinds]
        self.fields["kind"].required = kinds != ("",)
        if kinds == ("",):
            self.fields["kind"].widget = forms.HiddenInput()
        length = Place.CODE_LENGTH.get(level, 12)
        self.fields["code"].help_text = _("%(n)d digits, starting with %(start)s.") % {
            "n": length,
            "start": parent.child_code_start,
        }
        self.fields["code"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})


class PlaceRenameForm(BootstrapForm):
    name = forms.CharField(label=_("New name"), max_length=100)
