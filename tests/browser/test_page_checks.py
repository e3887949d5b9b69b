"""The page checks every browser test relies on do find what they look for."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Route
from pytest_django.live_server_helper import LiveServer

from .conftest import PageChecks

pytestmark = [pytest.mark.browser]

BROKEN_PAGE = """<!doctype html><html lang="nl"><head><title>Kapot</title></head>
<body class="public"><main>
<form method="post"><input id="age" name="age"><input id="age" name="again"></form>
</main></body></html>"""


def test_the_checks_find_an_unlabelled_field_a_double_id_and_a_restoring_form(
    browser: Browser, live_server: LiveServer
):
    context = browser.new_context(base_url=live_server.url)
    try:
        page = context.new_page()

        def serve(route: Route) -> None:
            route.fulfill(body=BROKEN_PAGE, content_type="text/html")

        page.route("**/kapot/", serve)
        page.goto("/kapot/")
        checks = PageChecks([live_server.url])

        checks.check(page)

        found = "\n".join(checks.problems)
        assert "the id 'age' occurs more than once" in found
        assert "label (critical)" in found
        assert "lacks autocomplete=off" in found
    finally:
        context.close()
