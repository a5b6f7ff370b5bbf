"""What every form of the pages shares: Bootstrap classes on the widgets, fields in error marked, the ISO date
input, and a service's refusal (DomainError) shown next to the field it names. Templates render fields with
`forms/_field.html` and the errors above a form with `forms/_form_errors.html` (minsheng/templates/forms/)."""

import contextlib
import uuid
from pathlib import Path

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _

from . import clock
from .errors import DomainError

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"
MAX_FILES = 9


class DateInput(forms.DateInput):
    """The browser's date picker; it wants ISO dates."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002 - the HTML date input wants ISO dates
        super().__init__(attrs, format=format)


# Uploads kept while a form is corrected (BootstrapForm.keep_uploads): stored under this folder of the
# default storage (never served), named by a random key that a signed token in a hidden field carries.
KEPT_UPLOADS_DIR = "kept-uploads"
KEPT_UPLOADS_SALT = "minsheng.forms.kept-uploads"
KEPT_UPLOADS_MAX_AGE = 6 * 3600  # seconds: a token older than this keeps nothing


def uploads_keep(files: list) -> str:
    """Store valid uploads of a form that failed elsewhere; return the signed token that finds them again."""
    key = uuid.uuid4().hex
    items = []
    for i, upload in enumerate(files):
        upload.seek(0)
        path = default_storage.save(f"{KEPT_UPLOADS_DIR}/{key}/{i}", ContentFile(upload.read()))
        upload.seek(0)
        items.append({"path": path, "name": upload.name, "type": upload.content_type or ""})
    return signing.dumps({"files": items}, salt=KEPT_UPLOADS_SALT, compress=True)


def kept_uploads_sweep(*, max_age: float = KEPT_UPLOADS_MAX_AGE) -> int:
    """Delete the kept uploads no token can find any more (older than `max_age` seconds): the forms that were
    never sent again. Returns how many files went. Run daily by the scheduler (`common.tasks`)."""
    try:
        keys, _files = default_storage.listdir(KEPT_UPLOADS_DIR)
    except FileNotFoundError:
        return 0
    now = clock.now()
    removed = 0
    for key in keys:
        folder = f"{KEPT_UPLOADS_DIR}/{key}"
        _dirs, names = default_storage.listdir(folder)
        paths = [f"{folder}/{name}" for name in names]
        if all((now - default_storage.get_modified_time(path)).total_seconds() > max_age for path in paths):
            for path in paths:
                default_storage.delete(path)
                removed += 1
            # the file system's empty folder goes too (a storage without folders has no path)
            with contextlib.suppress(NotImplementedError, OSError):
                Path(default_storage.path(folder)).rmdir()
    return removed


def uploads_kept(token: str) -> list[SimpleUploadedFile]:
    """The uploads a token of `uploads_keep` stands for; none if it is forged, too old or gone."""
    try:
        data = signing.loads(token, salt=KEPT_UPLOADS_SALT, max_age=KEPT_UPLOADS_MAX_AGE)
    except signing.BadSignature:
        return []
    files = []
    for item in data.get("files", []):
        path = item.get("path", "")
        if not path.startswith(f"{KEPT_UPLOADS_DIR}/") or not default_storage.exists(path):
            return []
        with default_storage.open(path) as handle:
            files.append(SimpleUploadedFile(item["name"], handle.read(), content_type=item["type"] or None))
    return files


class BootstrapForm(forms.Form):
    """Gives every widget its Bootstrap class (radios and checkbox lists included) and marks the fields in
    error, so templates stay plain.

    `keep_uploads` names file fields whose valid uploads are kept when another field fails: the files are
    stored server-side (`uploads_keep`), a hidden field `<name>_kept` carries the signed token, and the next
    submission without new files for that field uses them (the field says which files are kept)."""

    keep_uploads: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.keep_uploads:
            if name in self.fields:
                self.fields[f"{name}_kept"] = forms.CharField(required=False, widget=forms.HiddenInput)
                self.fields[name].kept = []
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
        if self.is_bound and self.keep_uploads:
            self._use_kept_uploads()
        super().full_clean()
        if self.is_bound and self.keep_uploads and self.errors:
            self._keep_valid_uploads()
        for name in self.errors:
            if name in self.fields:
                self._mark_invalid(name)

    def _use_kept_uploads(self) -> None:
        for name in self.keep_uploads:
            if name not in self.fields:
                continue
            key, token = self.add_prefix(name), self.data.get(self.add_prefix(f"{name}_kept"))
            if token and not [f for f in self.files.getlist(key) if f]:
                kept = uploads_kept(token)
                if kept:
                    self.files = self.files.copy()
                    self.files.setlist(key, kept)

    def _keep_valid_uploads(self) -> None:
        for name in self.keep_uploads:
            if name not in self.fields:
                continue
            files = self.cleaned_data.get(name) if name not in self.errors else None
            if not files or self.fields[name].kept:
                continue
            files = files if isinstance(files, list) else [files]
            self.data = self.data.copy()
            self.data[self.add_prefix(f"{name}_kept")] = uploads_keep(files)
            self.fields[name].kept = [f.name for f in files]

    def add_error(self, field, error):
        super().add_error(field, error)
        if field in self.fields:
            self._mark_invalid(field)
        if self.keep_uploads and hasattr(self, "cleaned_data") and field not in self.keep_uploads:
            self._keep_valid_uploads()  # a service's refusal after the form passed: keep the files too

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
