"""Compile every locale/*/LC_MESSAGES/django.po into its .mo with polib (no system gettext needed)."""

from pathlib import Path

import polib

root = Path(__file__).resolve().parent.parent / "locale"
for po_path in sorted(root.glob("*/LC_MESSAGES/*.po")):
    po = polib.pofile(str(po_path))
    po.save_as_mofile(str(po_path.with_suffix(".mo")))
    print(f"{po_path.relative_to(root.parent)}: {po.percent_translated()}% translated")
