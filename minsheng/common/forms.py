"""What every form of the pages shares: Bootstrap classes on the widgets, fields in error marked, the ISO date
input, and a service's refusal (DomainError) shown next to the field it names. Templates render fields with
`forms/_field.html` and the errors above a form with `forms/_form_errors.html` (minsheng/templates/forms/)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .errors import DomainError

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"
MAX_FILES = 9


class DateInput(forms.DateInput):
    """The browser's date picker; it wants ISO dates."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002 - the HTML date input wants ISO dates
        super().__init__(attrs, format=format)


class BootstrapForm(forms.Form):
    """Gives every widget its Bootstrap class (radios and checkbox lists included) and marks the fields in
    error, so templates stay plain."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                widget.attrs["class"] = "form-check-input"
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self._mark_invalid(name)

    def add_error(self, field, error):
        super().add_error(field, error)
        if field in self.fields:
            self._mark_invalid(field)

    def _mark_invalid(self, name: str) -> None:
        widget = self.fields[name].widget
        css = widget.attrs.get("class", "")
        if "is-invalid" not in css.split():
            widget.attrs["class"] = f"{css} is-invalid".strip()
        widget.attrs["aria-invalid"] = "true"


def add_domain_error(
    form: forms.Form,
    exc: DomainError,
    *,
    field_of: dict[str, str] | None = None,
    file_field: str | None = None,
) -> None:
    """Show a service's refusal next to the field it concerns (or above the form). `field_of` maps a
    service's field names to the form's where they differ; `file_field` takes the refusal of an upload."""
    field = exc.field
    if field == "file" and file_field:
        field = file_field
    elif field not in form.fields:
        field = (field_of or {}).get(field or "", field)
    if field not in form.fields:
        field = None
    form.add_error(field, ValidationError(str(exc.message), code=exc.code))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (`<input type=file multiple>`), each checked like a single file."""

    def __init__(self, *args, max_files: int = MAX_FILES, accept: str = IMAGE_ACCEPT, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept, "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > self.max_files:
            raise ValidationError(
                _("Upload at most %(n)d files.") % {"n": self.max_files}, code="too_many_files"
            )
        single = super().clean
        return [single(f, initial) for f in files]
