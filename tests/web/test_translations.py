"""Vietnamese comes first: every message the admin can show has a Vietnamese translation in the
shipped catalog, and the compiled catalog matches its source."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import signage

PACKAGE = Path(signage.__file__).parent
CATALOG = PACKAGE / "translations" / "vi" / "LC_MESSAGES"
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "N_": None}


def _admin_messages() -> set[str]:
    found = extract_from_dir(PACKAGE / "web" / "admin", METHODS, KEYWORDS)
    return {m[2] if isinstance(m[2], str) else m[2][0] for m in found}


def _translated(catalog) -> dict[str, str]:
    return {m.id: m.string for m in catalog if m.id and isinstance(m.id, str) and m.string}


def test_every_admin_message_has_a_vietnamese_translation():
    with open(CATALOG / "messages.po", "rb") as handle:
        translated = _translated(read_po(handle))
    missing = sorted(_admin_messages() - set(translated))
    assert not missing, "untranslated: " + "; ".join(missing)


def test_the_compiled_catalog_is_up_to_date():
    with open(CATALOG / "messages.po", "rb") as handle:
        source = _translated(read_po(handle))
    with open(CATALOG / "messages.mo", "rb") as handle:
        compiled = _translated(read_mo(handle))
    assert compiled == source
