"""What an activity may concern besides cases: a registry that a floor above fills (`insights` registers the
livelihood projects in `InsightsConfig.ready()`), because this wing may not import `projects`.

`register(kind, model, label, url)`: `kind` a short key ("project"), `model` the Django model, `label(obj)` and
`url(obj)` what a page shows of a linked object."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext as _

from minsheng.common.errors import DomainError


@dataclass(frozen=True)
class ConcernKind:
    model: type[models.Model]
    label: Callable[[object], str]
    url: Callable[[object], str]


_KINDS: dict[str, ConcernKind] = {}


def register(
    kind: str, model: type[models.Model], *, label: Callable[[object], str], url: Callable[[object], str]
) -> None:
    _KINDS[kind] = ConcernKind(model=model, label=label, url=url)


def kinds() -> list[str]:
    return sorted(_KINDS)


def resolve(kind: str, object_id) -> tuple[ContentType, str]:
    """The content type of an existing object of a registered kind, and its label; DomainError otherwise."""
    entry = _KINDS.get(kind)
    try:
        pk = int(object_id)
    except (ValueError, TypeError):
        pk = None
    obj = entry.model._default_manager.filter(pk=pk).first() if entry and pk else None
    if entry is None or obj is None:
        raise DomainError(_("Nothing of that kind with that number."), field="object_id", code="not_found")
    return ContentType.objects.get_for_model(entry.model), entry.label(obj)


def describe(concern) -> dict:
    """`{"label", "url"}` of a linked object (a removed one or an unregistered kind: its ids)."""
    for entry in _KINDS.values():
        if ContentType.objects.get_for_model(entry.model).pk == concern.content_type_id:
            obj = entry.model._default_manager.filter(pk=concern.object_id).first()
            if obj is not None:
                return {"label": entry.label(obj), "url": entry.url(obj)}
    return {"label": f"#{concern.object_id}", "url": ""}
