"""English is available everywhere: every Dutch text has an English translation that loads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

import vangnet

pytestmark = pytest.mark.django_db

CATALOG = Path(vangnet.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _unquote(lines: list[str]) -> str:
    text = "".join(line[line.index('"') + 1 : line.rindex('"')] for line in lines)
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), text)


def catalog_entries() -> list[dict[str, str]]:
    """The entries of the English .po file: msgid, msgid_plural, msgstr(s), flags."""
    entries = []
    for block in CATALOG.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, list[str]] = {}
        flags = ""
        key = None
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                flags += line
            elif line.startswith("#"):
                continue
            elif line.startswith('"') and key:
                fields[key].append(line)
            else:
                key = line.split(" ", 1)[0]
                fields[key] = [line]
        if "msgid" in fields and _unquote(fields["msgid"]):
            entry = {name: _unquote(lines) for name, lines in fields.items()}
            entry["flags"] = flags
            entries.append(entry)
    return entries


def test_the_english_catalog_is_complete():
    entries = catalog_entries()
    assert len(entries) > 500
    untranslated = [
        e["msgid"]
        for e in entries
        if "fuzzy" in e["flags"]
        or not (e.get("msgstr") or (e.get("msgstr[0]") and e.get("msgstr[1]")))
    ]
    assert untranslated == []


def test_every_entry_loads_from_the_compiled_catalog():
    stale = []
    with translation.override("en"):
        for entry in catalog_entries():
            if "msgid_plural" in entry:
                got = translation.ngettext(entry["msgid"], entry["msgid_plural"], 2)
                expected = entry["msgstr[1]"]
            else:
                got = translation.gettext(entry["msgid"])
                expected = entry["msgstr"]
            if got != expected:
                stale.append(entry["msgid"])
    assert stale == [], "run `make messages`: the compiled catalog is older than the .po file"


def choose_english(client) -> None:  # type: ignore[no-untyped-def]
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


def test_after_choosing_english_the_public_pages_are_in_english(client):
    from vangnet.core.testing.factories import national_desk

    national_desk()
    choose_english(client)

    start = client.get("/").content.decode()
    assert "What happens when you get in touch?" in start and "Quick exit" in start
    chat = client.get("/chat/").content.decode()
    assert "Chat with Veilig Thuis" in chat and "The 4 digits of your postcode" in chat


def test_after_choosing_english_the_login_page_is_in_english(client):
    choose_english(client)
    page = client.get("/accounts/login/").content.decode()
    assert "Username" in page and "Password" in page
