"""Masking of personal data. Who may see a value unmasked is decided by the permissions of each app;
this module only knows how a masked value looks, so every page masks alike."""


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    return value[:4] + "*" * (len(value) - 8) + value[-4:] if len(value) > 8 else "*" * len(value)


def mask_mobile(value: str | None) -> str:
    if not value:
        return ""
    return value[:3] + "****" + value[-4:] if len(value) >= 11 else "*" * len(value)


def mask_name(value: str | None) -> str:
    """张三丰 → 张**: for labels where a person must not be identifiable."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1)
