"""Every API error has one shape: {"error": code, "detail": message, "fields": {...}}."""

from __future__ import annotations

from vangnet.api.errors import error_body


def test_a_general_error_has_a_detail_and_no_fields():
    body = error_body("not_found", {"detail": "Niet gevonden."})

    assert body == {"error": "not_found", "detail": "Niet gevonden.", "fields": {}}


def test_field_errors_are_listed_per_field_and_joined_in_the_detail():
    body = error_body(
        "invalid",
        {"postcode": ["Ongeldige postcode."], "age": ["Vul een leeftijd in.", "Te hoog."]},
    )

    assert body["fields"] == {
        "postcode": ["Ongeldige postcode."],
        "age": ["Vul een leeftijd in.", "Te hoog."],
    }
    assert body["detail"] == "Ongeldige postcode. Vul een leeftijd in. Te hoog."


def test_nested_fields_get_dotted_names_and_non_field_errors_go_to_the_detail():
    body = error_body(
        "invalid",
        {
            "non_field_errors": ["Kies een regio of een postcode."],
            "address": {"postcode": ["Ongeldige postcode."]},
            "people": [{}, {"age": ["Te hoog."]}],
        },
    )

    assert body["fields"] == {
        "address.postcode": ["Ongeldige postcode."],
        "people.1.age": ["Te hoog."],
    }
    assert body["detail"].startswith("Kies een regio of een postcode.")


def test_a_list_of_messages_becomes_the_detail():
    body = error_body("invalid", ["Eerste.", "Tweede."])

    assert body == {"error": "invalid", "detail": "Eerste. Tweede.", "fields": {}}
