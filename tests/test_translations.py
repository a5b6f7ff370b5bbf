"""zh-hans is the default language: every message of the project has a Chinese translation.

CI runs `make makemessages` before the tests, so a new string without a translation fails here."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"


@pytest.mark.parametrize("language", ["zh_Hans"])
def test_every_message_is_translated(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not missing, f"{len(missing)} untranslated, e.g. {missing[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


def test_placeholders_survive_translation():
    po = polib.pofile(str(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    import re

    pattern = re.compile(r"%\((\w+)\)[sd]|\{\w+\}")
    broken = []
    for entry in po.translated_entries():
        if not entry.msgid_plural and sorted(pattern.findall(entry.msgid)) != sorted(
            pattern.findall(entry.msgstr)
        ):
            broken.append(entry.msgid)
        for plural in entry.msgstr_plural.values():
            if sorted(pattern.findall(entry.msgid_plural)) != sorted(pattern.findall(plural)):
                broken.append(entry.msgid)
    assert not broken, broken[:5]
