"""Pinyin sort keys for Chinese names, so SQLite and PostgreSQL sort deputies alike.

Surnames read differently from the common reading of their character are overridden (单 shan, 曾 zeng,
区 ou ...). The key is stored in a column (`name_sort`) and also serves a pinyin prefix search.
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


def name_sort_key(name: str) -> str:
    """'曾小明' → 'zeng xiao ming 曾小明'; the name at the end breaks ties between homophones."""
    name = (name or "").strip()
    if not name:
        return ""
    if name[:2] in COMPOUND_SURNAMES:
        surname = COMPOUND_READINGS.get(name[:2]) or " ".join(syllables(name[:2]))
        rest = name[2:]
    else:
        surname = SURNAME_READINGS.get(name[0]) or " ".join(syllables(name[0]))
        rest = name[1:]
    parts = [surname, *syllables(rest)] if rest else [surname]
    return (" ".join(parts) + " " + name)[:200]
