"""The OpenAPI schema says what the API answers: drf-spectacular's AutoSchema told what DRF drops for read-only
model fields, and a postprocessing hook for the errors every operation can answer (settings: REST_FRAMEWORK
`DEFAULT_SCHEMA_CLASS`, SPECTACULAR_SETTINGS `POSTPROCESSING_HOOKS`). Checked by tests/test_api_schema_fuzz.py."""

import copy

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular import openapi
from rest_framework import serializers


def _model_fields_of(field) -> list:
    """The model fields a ModelSerializer field's `source` walks through (`place.name` → [place, name]); as
    far as they are model fields (a property or method ends the walk)."""
    meta = getattr(getattr(field, "parent", None), "Meta", None)
    model = getattr(meta, "model", None)
    if model is None or not field.source or field.source == "*":
        return []
    walked = []
    for name in field.source.split("."):
        if model is None:
            break
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            break
        walked.append(model_field)
        model = model_field.related_model
    return walked


def may_omit(*names: str):
    """Class decorator of a response serializer that leaves some fields out for some callers
    (`@may_omit("handlers")`): the schema does not list them as required."""

    def mark(serializer_class):
        serializer_class.may_omit = frozenset(names)
        return serializer_class

    return mark


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, told what DRF drops for read-only model fields: `ModelSerializer` removes
    `allow_blank` from a read-only field, so a choice field with `blank=True` was documented as an enum
    without "" though it answers ""; and a read-only field whose source passes through a nullable relation
    (`place.name` with no place) answers null, which only the model knows."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if direction == "response" and field.read_only and not getattr(field, "many", False):
            walked = _model_fields_of(field)
            blank = bool(walked) and isinstance(field, serializers.ChoiceField) and walked[-1].blank
            null = any(getattr(model_field, "null", False) for model_field in walked)
            if (blank and not field.allow_blank) or (null and not field.allow_null):
                field = copy.copy(field)  # the serializer's own field stays as it is
                if blank:
                    field.allow_blank = True
                if null:
                    field.allow_null = True
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        absent = getattr(serializer, "may_omit", frozenset())
        if absent and "required" in schema:
            schema["required"] = [name for name in schema["required"] if name not in absent]
            if not schema["required"]:
                del schema["required"]
        return schema


# The answers any operation can give besides its own (a postprocessing hook adds the missing ones, so an
# endpoint documents only what is particular to it).
_GLOBAL_ERRORS = {
    "400": "Bad input: {detail, code, field} or the fields' errors",
    "403": "Not signed in, or not allowed to do this",
    "404": "Not there for the caller (or a page past the last)",
}
_WRITE_ERRORS = {"409": "Not allowed in the object's state; nothing changed"}


def document_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation documents 400, 403 and 404 (and a write 409),
    which the exception handler, the permission classes, the scoped querysets and the paginator answer."""
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in {"get", "put", "patch", "post", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            errors = _GLOBAL_ERRORS if method == "get" else {**_GLOBAL_ERRORS, **_WRITE_ERRORS}
            for code, description in errors.items():
                responses.setdefault(code, {"description": description})
    return result
