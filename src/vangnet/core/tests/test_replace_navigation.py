"""A public form sent by the page's script gets its redirect as a header, not followed by fetch."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_a_redirect_for_a_replacing_page_comes_as_a_location_header(client):
    response = client.post(
        "/i18n/setlang/",
        {"language": "en", "next": "/chat/"},
        headers={"Vangnet-Navigation": "replace"},
    )

    assert response.status_code == 204
    assert response["Vangnet-Location"] == "/chat/"
    assert not response.has_header("Location")
    # What the redirect carried still arrives: here the language cookie.
    assert response.cookies["django_language"].value == "en"


def test_an_ordinary_request_gets_the_ordinary_redirect(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/chat/"})

    assert response.status_code == 302
    assert response["Location"] == "/chat/"
