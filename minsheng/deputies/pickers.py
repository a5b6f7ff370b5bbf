"""The congresses' picker (issue 12), registered with `common.pickers` in `DeputiesConfig.ready()`: without
`for`, the congresses whose deputies the actor may list (`selectors.congresses_in_scope`, the deputies list's
congress filter), the higher levels first; letters match the pinyin of the congress's place ('tss' 台山市)."""

from minsheng.common import pickers

from .selectors import congresses_in_scope


@pickers.register("congresses")
def congresses(actor, argument: str) -> pickers.Choices:
    return pickers.Choices(
        queryset=congresses_in_scope(actor).select_related("place").order_by("region_prefix", "id"),
        hint=lambda congress, first: congress.place.name if congress.place_id else "",
        contains=True,
        pinyin_of="place__",  # a congress is named after its place: its pinyin is the place's
    )
