"""English is available everywhere: every Dutch text has an English translation that loads."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from django.utils import translation

import vangnet

pytestmark = pytest.mark.django_db

CATALOG = Path(vangnet.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"

# What must survive translation unchanged: %-placeholders, {}-placeholders and HTML tags.
PLACEHOLDER = re.compile(r"%%|%\(\w+\)[sd]|%[sd]|\{\w*\}|<[^>]+>")


def _unquote(lines: list[str]) -> str:
    text = "".join(line[line.index('"') + 1 : line.rindex('"')] for line in lines)
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), text)


def catalog_blocks() -> list[dict[str, str]]:
    """The entries of the English .po file, header included: msgid, msgstr(s), flags."""
    entries = []
    for block in CATALOG.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, list[str]] = {}
        flags = ""
        key = None
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                flags += line
            elif line.startswith("#"):  # comments, references, obsolete (#~) entries
                continue
            elif line.startswith('"') and key:
                fields[key].append(line)
            else:
                key = line.split(" ", 1)[0]
                fields[key] = [line]
        if "msgid" in fields:
            entry = {name: _unquote(lines) for name, lines in fields.items()}
            entry["flags"] = flags
            entries.append(entry)
    return entries


def catalog_entries() -> list[dict[str, str]]:
    return [entry for entry in catalog_blocks() if entry["msgid"]]


def translations(entry: dict[str, str]) -> list[str]:
    return [value for name, value in entry.items() if name.startswith("msgstr")]


def test_the_catalog_header_declares_english_utf8_and_plural_forms():
    header = next(entry["msgstr"] for entry in catalog_blocks() if not entry["msgid"])
    assert "Language: en\n" in header
    assert "charset=UTF-8" in header
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header


def test_the_english_catalog_is_complete():
    entries = catalog_entries()
    assert len(entries) > 500
    untranslated = [
        e["msgid"]
        for e in entries
        if "fuzzy" in e["flags"] or not translations(e) or not all(translations(e))
    ]
    assert untranslated == []
    plurals = [e for e in entries if "msgid_plural" in e]
    assert plurals and all(e.get("msgstr[0]") and e.get("msgstr[1]") for e in plurals)


def test_translations_keep_placeholders_and_html():
    broken = []
    for entry in catalog_entries():
        if "msgid_plural" in entry:
            pairs = [
                (entry["msgid"], entry["msgstr[0]"]),
                (entry["msgid_plural"], entry["msgstr[1]"]),
            ]
        else:
            pairs = [(entry["msgid"], entry["msgstr"])]
        for source, text in pairs:
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
                broken.append(entry["msgid"])
    assert broken == []


def test_every_entry_loads_from_the_compiled_catalog():
    stale = []
    with translation.override("en"):
        for entry in catalog_entries():
            context = entry.get("msgctxt")
            if "msgid_plural" in entry:
                for n, expected in ((1, entry["msgstr[0]"]), (2, entry["msgstr[1]"])):
                    args = (entry["msgid"], entry["msgid_plural"], n)
                    got = (
                        translation.npgettext(context, *args)
                        if context
                        else translation.ngettext(*args)
                    )
                    if got != expected:
                        stale.append(entry["msgid"])
            else:
                got = (
                    translation.pgettext(context, entry["msgid"])
                    if context
                    else translation.gettext(entry["msgid"])
                )
                if got != entry["msgstr"]:
                    stale.append(entry["msgid"])
    assert stale == [], "run `make messages`: the compiled catalog is older than the .po file"


def choose_english(client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies["django_language"].value == "en"


def test_after_choosing_english_the_start_page_is_in_english(client):
    choose_english(client)
    start = client.get("/").content.decode()
    assert '<html lang="en">' in start
    assert "Are you worried about violence at home? You are not alone." in start
    assert "What happens when you get in touch?" in start and "Quick exit" in start
    assert "Wat gebeurt er als je contact opneemt?" not in start


def test_after_choosing_english_the_chat_page_is_in_english(client):
    from vangnet.testing.factories import national_desk

    national_desk()
    choose_english(client)
    chat = client.get("/chat/").content.decode()
    assert "Chat with Veilig Thuis" in chat and "The 4 digits of your postcode" in chat
    assert "Chat met Veilig Thuis" not in chat


def test_after_choosing_english_the_login_page_is_in_english(client):
    choose_english(client)
    page = client.get("/accounts/login/").content.decode()
    assert "Username" in page and "Password" in page and "Log in" in page
    assert "Gebruikersnaam" not in page and "Wachtwoord" not in page


def test_a_too_short_password_is_refused_in_dutch(client):
    """Django 6 changed the minimum-length message; its Dutch catalog only knows the old one.

    src/vangnet/locale/nl/LC_MESSAGES/django.po supplies it by hand; `make messages` leaves
    that catalog alone (Dutch is the source language), but a `makemessages -l nl` would drop it.
    """
    from vangnet.accounts.models import Role
    from vangnet.testing.auth import login_verified
    from vangnet.testing.factories import RegionFactory, make_user

    region = RegionFactory.create()
    login_verified(client, make_user(Role.FUNCTIONAL_ADMIN, region=region))
    short = "Kastanje-84"
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "jolanda",
            "first_name": "Jolanda",
            "last_name": "de Vries",
            "email": "jolanda@veiligthuis.example",
            "region": region.pk,
            "roles": [Role.ADVICE_DESK],
            "password_mode": "type",
            "password1": short,
            "password2": short,
        },
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Dit wachtwoord is te kort. Het moet minstens 12 tekens lang zijn." in page
    assert "too short" not in page
