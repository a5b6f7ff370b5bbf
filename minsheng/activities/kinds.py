"""The built-in kinds of activity (代表活动的类别): their codes (`ActivityKind.Code`) and names in Chinese, the
users' language (pages show the translated label of the code for a built-in kind). Migration 0003 seeds them;
`ensure_builtin_kinds` puts back any that are missing (a test database flushed by a transactional test)."""

BUILTIN = [
    ("research", "专题调研"),
    ("inspection", "集中视察"),
    ("group", "代表小组活动"),
    ("meet_leader", "约见市长"),
    ("briefing", "“一府两院”政情通报会"),
    ("training", "培训"),
    ("report", "述职"),
    ("electoral_unit", "回选举单位"),
    ("planting", "植树（人大代表林）"),
    ("custom", "其他"),
]


def builtin_kind(code: str):
    """The built-in kind of `code` (put back first if missing)."""
    from .models import ActivityKind

    ensure_builtin_kinds(ActivityKind)
    return ActivityKind.objects.get(code=code, congress=None)


def ensure_builtin_kinds(ActivityKind=None) -> int:
    """Create the built-in kinds that are missing (never renames one a congress's staff may have edited).
    `ActivityKind` may be a migration's historical model. Returns how many were created."""
    if ActivityKind is None:
        from .models import ActivityKind
    existing = set(ActivityKind.objects.filter(congress=None).values_list("code", flat=True))
    missing = [
        ActivityKind(code=code, name=name, congress=None, position=position * 10)
        for position, (code, name) in enumerate(BUILTIN, start=1)
        if code not in existing
    ]
    ActivityKind.objects.bulk_create(missing)
    return len(missing)
