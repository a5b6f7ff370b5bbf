"""Chinese full-text search over a case's title and content, on both databases.

Text is segmented into words with rjieba (jieba's segmentation, in Rust) and stored space-separated in
`Case.search_text`. SQLite searches it with an FTS5 table (default tokenizer: the spaces are the word breaks);
PostgreSQL with `to_tsvector('simple', search_text)` and a GIN index. Both are created by migration
0002_case_full_text_search. A query is segmented the same way; every word must match.
"""

import re

import rjieba
from django.db import connection

from minsheng.common.validators import DERIVED_TEXT

_PUNCT = re.compile(r"[^\w]+", re.UNICODE)


def segment(text: str) -> list[str]:
    """Words for indexing and querying: jieba's search-mode cut (finds 江门 inside 江门市), lower-cased."""
    words = []
    for piece in _PUNCT.split(text or ""):
        if piece:
            words.extend(w.lower() for w in rjieba.cut_for_search(piece) if w.strip())
    return words


def search_text_for(case) -> str:
    text = " ".join(segment(f"{case.title} {case.content}"))
    # About twice the title and content; cut at a word if it ever outgrew the column's checked limit.
    return text if len(text) <= DERIVED_TEXT else text[: DERIVED_TEXT + 1].rsplit(" ", 1)[0]


def _query_words(query: str) -> list[str]:
    # Search mode would also demand every sub-word; the plain cut of the query is what must match.
    words = []
    for piece in _PUNCT.split(query or ""):
        if piece:
            words.extend(w.lower() for w in rjieba.cut(piece) if w.strip())
    return words[:20]


def filter_by_text(queryset, query: str):
    """Cases whose title or content contains every word of `query`."""
    words = _query_words(query)
    if not words:
        return queryset
    # Raw conditions on purpose: the PostgreSQL expression must equal the GIN index's expression to use it.
    if connection.vendor == "postgresql":
        return queryset.extra(
            where=["to_tsvector('simple', cases_case.search_text) @@ to_tsquery('simple', %s)"],
            params=[" & ".join(_quote_pg(w) for w in words)],
        )
    match = " AND ".join('"' + w.replace('"', '""') + '"' for w in words)
    return queryset.extra(
        where=["cases_case.id IN (SELECT rowid FROM cases_case_fts WHERE cases_case_fts MATCH %s)"],
        params=[match],
    )


def _quote_pg(word: str) -> str:
    return "'" + word.replace("'", "''").replace("\\", "") + "'"


SQLITE_TRIGGERS = {
    "cases_case_fts_ai": """CREATE TRIGGER IF NOT EXISTS cases_case_fts_ai AFTER INSERT ON cases_case BEGIN
         INSERT INTO cases_case_fts(rowid, search_text) VALUES (new.id, new.search_text);
       END""",
    "cases_case_fts_ad": """CREATE TRIGGER IF NOT EXISTS cases_case_fts_ad AFTER DELETE ON cases_case BEGIN
         INSERT INTO cases_case_fts(cases_case_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
       END""",
    "cases_case_fts_au": """CREATE TRIGGER IF NOT EXISTS cases_case_fts_au AFTER UPDATE OF search_text ON cases_case
       BEGIN
         INSERT INTO cases_case_fts(cases_case_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
         INSERT INTO cases_case_fts(rowid, search_text) VALUES (new.id, new.search_text);
       END""",
}


def ensure_sqlite_triggers(using: str = "default", **kwargs) -> bool:
    """After `migrate` (post_migrate): on SQLite, a migration that adds a column to `cases_case` rebuilds the
    table and drops its triggers, and the FTS5 index would stop following the cases. Put them back and rebuild
    the index when any was missing. Returns True when it repaired something."""
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "sqlite":
        return False
    with conn.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type='table' AND name='cases_case_fts'")
        if cursor.fetchone() is None:
            return False  # before migration 0002
        cursor.execute("SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='cases_case'")
        present = {row[0] for row in cursor.fetchall()}
        missing = [name for name in SQLITE_TRIGGERS if name not in present]
        for name in missing:
            cursor.execute(SQLITE_TRIGGERS[name])
        if missing:
            cursor.execute("INSERT INTO cases_case_fts(cases_case_fts) VALUES ('rebuild')")
    return bool(missing)
