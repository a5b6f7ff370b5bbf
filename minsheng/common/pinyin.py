"""Pinyin sort keys for Chinese names, so SQLite and PostgreSQL sort deputies alike.

Surnames read differently from the common reading of their character are overridden (单 shan, 曾 zeng,
区 ou ...). The key is stored in a column (`name_sort`) so both databases sort alike.
"""

from pypinyin import Style, lazy_pinyin

SURNAME_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "区": "ou",
    "仇": "qiu",
    "朴": "piao",
    "查": "zha",
    "覃": "qin",
    "乐": "yue",
    "盖": "ge",
    "尉": "yu",
    "繁": "po",
    "召": "shao",
    "缪": "miao",
    "翟": "zhai",
    "种": "chong",
}
COMPOUND_SURNAMES = {
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "司徒",
    "令狐",
    "长孙",
}
COMPOUND_READINGS = {"尉迟": "yu chi", "长孙": "zhang sun"}


def syllables(text: str) -> list[str]:
    return [s.lower() for s in lazy_pinyin(text, style=Style.NORMAL, errors="default")]


def name_syllables(name: str) -> list[str]:
    """'曾丽' → ['zeng', 'li']: the pinyin of a name, with the surname's own reading."""
    name = (name or "").strip()
    if not name:
        return []
    if name[:2] in COMPOUND_SURNAMES:
        surname = (COMPOUND_READINGS.get(name[:2]) or " ".join(syllables(name[:2]))).split()
        rest = name[2:]
    else:
        surname = (SURNAME_READINGS.get(name[0]) or " ".join(syllables(name[0]))).split()
        rest = name[1:]
    return [*surname, *syllables(rest)] if rest else surname


def name_sort_key(name: str) -> str:
    """'曾丽' → 'zeng1li0曾丽': syllables joined by '1', then '0' and the name itself (it breaks ties between
    homophones). Digits, not spaces, so that a shorter name sorts first (陈红 before 陈红燕) under any
    database collation: linguistic collations ignore spaces but not digits, and digits sort before letters."""
    parts = name_syllables(name)
    if not parts:
        return ""
    return ("1".join(parts) + "0" + name.strip())[:200]


def letters_only(parts: list[str]) -> str:
    return "".join(ch for ch in "".join(parts) if "a" <= ch <= "z")


def initials_of(parts: list[str]) -> str:
    """['zeng', 'li'] → 'zl': the first letter of each syllable (a chunk that is not pinyin adds nothing)."""
    return "".join(p[0] for p in parts if p and "a" <= p[0] <= "z")


def name_initials(name: str) -> str:
    """'曾丽' → 'zl', '欧阳明' → 'oym': a person's pinyin initials (首字母), the surname's own reading."""
    return initials_of(name_syllables(name))[:50]


def text_pinyin(text: str) -> str:
    """'江门市民政局' → 'jiangmenshiminzhengju': the pinyin of a name that is not a person's, letters only."""
    return letters_only(syllables((text or "").strip()))[:300]


def text_initials(text: str) -> str:
    """'江门市民政局' → 'jmsmzj'."""
    return initials_of(syllables((text or "").strip()))[:100]


def letters_query(q: str) -> str:
    """What a pinyin search compares: lower case, letters only ('Zeng Li' → 'zengli'); '' when the query is
    not pinyin (Chinese characters, digits)."""
    q = (q or "").strip().lower().replace("ü", "v")
    if not q or any(not ("a" <= ch <= "z" or ch in " '-") for ch in q):
        return ""
    return "".join(ch for ch in q if "a" <= ch <= "z")
