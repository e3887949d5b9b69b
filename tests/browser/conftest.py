"""Browser tests: headless Chromium (Debian's package, never a downloaded one) via Playwright.

Each test gets a fresh browser context against pytest-django's live server, and fails when any
page it opened wrote an error to the console (a CSP violation, a failed script, a failed
request), or when any page of ours it reached breaks a WCAG 2.1 A/AA rule (axe-core), holds
an element id twice, or has a public form that the browser would fill in again
(`PageChecks`: after every page load, at the steps a test names with `check_page`, and at the
end of the test, at the width the test used and at the other of phone and desktop).
Without Chromium the tests are skipped with the reason — except in CI (`CI=true`), where a
missing browser is a failure, never a silent skip.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from vangnet.accounts.models import User
from vangnet.testing.auth import current_code
from vangnet.testing.factories import DEFAULT_PASSWORD

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ACTION_TIMEOUT_MS = 10_000


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        reason = (
            f"Chromium not found at {CHROMIUM}: install it (apt-get install chromium) "
            f"or set CHROMIUM_PATH (browser tests never download a browser)."
        )
        if _in_ci():
            pytest.fail(f"CI=true and {reason}", pytrace=False)
        pytest.skip(reason)
    # Playwright's sync API keeps an event loop running in this thread while it is started,
    # so Django would refuse ORM calls from the test body. Allow them only while it runs:
    # tests outside this folder keep Django's protection.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class ConsoleErrors:
    """Errors written to the console by the pages of one test, minus those the test provokes."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []
        self._expected_failed_loads: set[str] = set()

    def expect_failed_load(self, url: str) -> None:
        """A test that opens a page meant to answer 4xx or 5xx says so: the browser logs it as
        an error, and so does htmx when it fetched it."""
        self._expected_failed_loads.add(url)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.seen.append((message.text, message.location.get("url", "")))

    def on_page_error(self, error: Error) -> None:
        self.seen.append((f"uncaught: {error.message}", ""))

    def unexpected(self) -> list[str]:
        return [
            f"{text} ({url})" if url else text
            for text, url in self.seen
            if not (
                text.startswith("Failed to load resource") and url in self._expected_failed_loads
            )
            and not (
                text.startswith("Response Status Error Code")
                and any(f" from {_path_of(load)}," in text for load in self._expected_failed_loads)
            )
        ]


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture
def console_errors() -> ConsoleErrors:
    return ConsoleErrors()


# WCAG 2.1 level A and AA, as axe-core tags them; best practices are not asked here.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
PHONE_WIDTH = {"width": 360, "height": 640}
DESKTOP_WIDTH = {"width": 1280, "height": 720}

# Element ids that occur more than once; public forms the browser would fill in again.
PAGE_FACTS = """
() => {
  const count = {};
  document.querySelectorAll("[id]").forEach((el) => { count[el.id] = (count[el.id] || 0) + 1; });
  const restoring = document.body.classList.contains("public")
    ? Array.from(document.forms).filter((form) => form.autocomplete !== "off")
        .map((form) => form.id || form.getAttribute("action") || "(this page)")
    : [];
  return {
    // A page being left (the quick exit empties it first) or not yet there is not checked.
    html: document.contentType === "text/html" && !!document.body
      && document.body.childElementCount > 0,
    duplicates: Object.keys(count).filter((id) => count[id] > 1),
    restoring: restoring,
  };
}
"""

# Runs in each page before its own scripts (an init script is not subject to the page's CSP).
HTMX_SETTLED = """
document.addEventListener("htmx:afterSettle", () => { window.vangnetPageSettled(); });
"""

_axe = Axe()  # axe-core's script ships inside the package: nothing is downloaded


class PageChecks:
    """Every page of ours a test reaches: axe-core's WCAG 2.1 A/AA rules and unique ids."""

    def __init__(self, origins: list[str]) -> None:
        self.origins = origins
        self.problems: list[str] = []
        self._checked: set[tuple[str, int, str]] = set()

    def ours(self, page: Page) -> bool:
        return any(page.url.startswith(origin) for origin in self.origins)

    def check(self, page: Page, both_widths: bool = False) -> None:
        if page.is_closed() or not self.ours(page):
            return
        self._check_at_current_width(page)
        if both_widths:
            size = page.viewport_size or DESKTOP_WIDTH
            other = DESKTOP_WIDTH if size["width"] < DESKTOP_WIDTH["width"] else PHONE_WIDTH
            page.set_viewport_size(other)
            try:
                self._check_at_current_width(page)
            finally:
                page.set_viewport_size(size)

    def _check_at_current_width(self, page: Page) -> None:
        width = (page.viewport_size or DESKTOP_WIDTH)["width"]
        where = f"{page.url.split('://', 1)[-1].split('/', 1)[-1] or ''} at {width}px"
        facts = page.evaluate(PAGE_FACTS)
        if not facts["html"]:
            return
        # One axe run per state: the same markup at the same width is not checked twice.
        state = (page.url, width, str(hash(page.evaluate("document.body.innerHTML"))))
        if state in self._checked:
            return
        self._checked.add(state)
        for duplicate in facts["duplicates"]:
            self.problems.append(f"/{where}: the id {duplicate!r} occurs more than once")
        for form in facts["restoring"]:
            self.problems.append(f"/{where}: public form {form} lacks autocomplete=off")
        url = page.url
        results = _axe.run(page, options=AXE_OPTIONS)
        if page.url != url or not page.evaluate(PAGE_FACTS)["html"]:
            # Left while axe ran (the quick exit empties the page and goes): what it found
            # is about the page being left or the next one, which its own load checks.
            return
        for violation in results.response["violations"]:
            targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
            self.problems.append(
                f"/{where}: {violation['id']} ({violation['impact']}): {violation['help']} "
                f"— {targets}"
            )

    def on_load(self, page: Page) -> None:
        # The page may move on while it is checked; its next load is checked then.
        with contextlib.suppress(Error):
            self.check(page)

    def watch(self, page: Page) -> None:
        """Check after every load, and after every part of the page htmx swapped in."""
        page.on("load", self.on_load)
        page.expose_binding("vangnetPageSettled", lambda source: self.on_load(source["page"]))
        page.add_init_script(HTMX_SETTLED)

    def finish(self, pages: list[Page]) -> list[str]:
        """Check the state each page ends in, at both widths; answer all that was found."""
        for open_page in pages:
            with contextlib.suppress(Error):
                self.check(open_page, both_widths=True)
        return list(dict.fromkeys(self.problems))


def fail_on(problems: list[str], console_errors: ConsoleErrors) -> None:
    """End of a test: what the page checks found and what the console showed, together."""
    report = []
    if problems:
        report.append("accessibility problems (WCAG 2.1 A/AA, ids):\n" + "\n".join(problems))
    unexpected = console_errors.unexpected()
    if unexpected:
        report.append("errors in the browser console:\n" + "\n".join(unexpected))
    if report:
        pytest.fail("\n".join(report), pytrace=False)


_current_checks: list[PageChecks] = []


def check_page(page: Page) -> None:
    """A key step of a test (a chat that started, ended): check this state, at both widths."""
    for checks in _current_checks:
        checks.check(page, both_widths=True)


@pytest.fixture
def page_checks(live_server: LiveServer) -> Iterator[PageChecks]:
    checks = PageChecks([live_server.url])
    _current_checks.append(checks)
    yield checks
    _current_checks.remove(checks)


@pytest.fixture
def page(
    browser: Browser,
    live_server: LiveServer,
    console_errors: ConsoleErrors,
    page_checks: PageChecks,
) -> Iterator[Page]:
    context = browser.new_context(locale="nl-NL", base_url=live_server.url)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    new_page = context.new_page()
    new_page.on("console", console_errors.on_console)
    new_page.on("pageerror", console_errors.on_page_error)
    page_checks.watch(new_page)
    yield new_page
    problems = page_checks.finish(context.pages)
    context.close()
    fail_on(problems, console_errors)


def log_in(page: Page, user: User, device: TOTPDevice) -> None:
    """Log in the way a staff member does: password, then the code from the app."""
    page.goto("/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Volgende").click()
    page.get_by_label("Code uit uw authenticator-app").fill(current_code(device))
    page.get_by_role("button", name="Inloggen", exact=True).click()


class AsgiLiveServer:
    """The whole ASGI application (HTTP and WebSockets) served by uvicorn in a thread.

    pytest-django's live server speaks only HTTP; the chat needs WebSockets. Running in this
    process keeps the test database (SQLite in memory, or the PostgreSQL test database) and
    the in-memory channel layer shared with the test.
    """

    def __init__(self) -> None:
        import threading

        import uvicorn
        from channels.routing import ProtocolTypeRouter
        from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
        from django.core.asgi import get_asgi_application

        from vangnet.routing import websocket_application

        application = ProtocolTypeRouter(
            {
                "http": ASGIStaticFilesHandler(get_asgi_application()),
                "websocket": websocket_application(),
            }
        )
        from vangnet import serve
        from vangnet.testing.servers import free_port

        port = free_port()

        config = uvicorn.Config(
            application, host="127.0.0.1", port=port, log_level="warning", **serve.SETTINGS
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        for _ in range(200):
            if self.server.started:
                break
            threading.Event().wait(0.05)
        self.url = f"http://localhost:{port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def asgi_server(live_server: LiveServer) -> Iterator[AsgiLiveServer]:
    # live_server first: it sets up the test database for threads the way Django needs it.
    from channels.layers import channel_layers

    # Each server runs its own event loop; a channel layer made on an earlier test's loop
    # (the Redis layer keeps asyncio locks and connection pools per loop) must not be reused.
    channel_layers.backends = {}
    server = AsgiLiveServer()
    yield server
    server.stop()
    channel_layers.backends = {}


@pytest.fixture
def new_page(
    browser: Browser,
    asgi_server: AsgiLiveServer,
    console_errors: ConsoleErrors,
    page_checks: PageChecks,
) -> Iterator[Callable[[], Page]]:
    """Pages in their own browser contexts (a phone, a desk), served by the ASGI server."""
    contexts = []
    page_checks.origins.append(asgi_server.url)

    def make() -> Page:
        context = browser.new_context(locale="nl-NL", base_url=asgi_server.url)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        contexts.append(context)
        opened = context.new_page()
        opened.on("console", console_errors.on_console)
        opened.on("pageerror", console_errors.on_page_error)
        page_checks.watch(opened)
        return opened

    yield make
    problems = page_checks.finish([opened for context in contexts for opened in context.pages])
    for context in contexts:
        context.close()
    fail_on(problems, console_errors)
