"""Forms translate what people type; the checks themselves live in services and validators."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from minsheng.places.models import Place

from .models import DonorProfile
from .services import donor_registration_check


class BootstrapMixin:
    """Bootstrap classes on the widgets, and `is-invalid` on the fields that have errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style_widgets()

    def _style_widgets(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = css

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                classes = self.fields[name].widget.attrs.get("class", "")
                if "is-invalid" not in classes:
                    self.fields[name].widget.attrs["class"] = f"{classes} is-invalid".strip()


class SignInForm(BootstrapMixin, AuthenticationForm):
    """Username or mobile number + password. AuthenticationForm passes the request to authenticate(), which
    is what django-axes needs to count failures per username and address."""

    username = forms.CharField(
        label=_("Username or mobile number"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        ),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The username or mobile number and the password do not match. Both are case-sensitive. "
            "After %(limit)d failed attempts the account is locked for a while."
        ),
    }

    def get_invalid_login_error(self):
        return ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"limit": settings.AXES_FAILURE_LIMIT},
        )


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, place):
        return place.name if place.level == Place.Level.CITY else f"— {place.name}"


def donor_area_queryset():
    """The city and its counties: where a donor mostly gives (the staff of that region look after them)."""
    city_prefix = settings.MINSHENG["DEFAULT_CITY_CODE"][:4]
    return Place.objects.filter(
        code__startswith=city_prefix, level__in=[Place.Level.CITY, Place.Level.COUNTY]
    ).order_by("code")


class DonorRegistrationForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("I register as"), choices=DonorProfile.Kind.choices, widget=forms.RadioSelect
    )
    name = forms.CharField(
        label=_("Name of the enterprise, organisation or person"),
        max_length=150,
    )
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=30,
        required=False,
        help_text=_(
            "18 characters, on the business licence or registration certificate. Not for individuals."
        ),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    contact_name = forms.CharField(
        label=_("Contact person"),
        max_length=50,
        required=False,
        help_text=_("Required for enterprises and organisations."),
    )
    place = PlaceChoiceField(
        label=_("Area"),
        queryset=Place.objects.none(),
        required=False,
        empty_label=_("Anywhere in the city"),
        help_text=_("Where you mainly want to help. The congress staff of that area verify you."),
    )
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @/./+/-/_ only. You can also sign in with your mobile number."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 10 characters; not only digits, not a common password, not like your username."
        ),
    )
    password_confirm = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = donor_area_queryset()
        # Required of enterprises and organisations, not of individuals: the label says so (forms/_field.html).
        for name in ("credit_code", "contact_name"):
            self.fields[name].required_when = _("required for enterprises and organisations")

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password and cleaned.get("password_confirm") and password != cleaned["password_confirm"]:
            self.add_error(
                "password_confirm", ValidationError(_("The two passwords differ."), code="mismatch")
            )
        try:
            donor_registration_check(
                username=cleaned.get("username", ""),
                password=password or "",
                mobile=cleaned.get("mobile", ""),
                kind=cleaned.get("kind", ""),
                name=cleaned.get("name", ""),
                contact_name=cleaned.get("contact_name", ""),
                credit_code=cleaned.get("credit_code", ""),
            )
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                if field not in self.errors:  # a field that failed its own checks already says why
                    self.add_error(field, errors)
        return cleaned


class DonorFilterForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *DonorProfile.Status.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Donor type"), choices=[("", _("All types")), *DonorProfile.Kind.choices], required=False
    )
    q = forms.CharField(label=_("Search"), max_length=100, required=False)


class DonorRejectForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The donor reads this and may correct the registration."),
    )


class DonorResubmitForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Name of the enterprise, organisation or person"), max_length=150)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=30, required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=50, required=False)
