"""What docs/architecture.md and the ADRs claim about the code's shape stays true: the apps,
the sockets, the files they name. (The layers: test_layers.py.)"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

import vangnet
from vangnet.chat.routing import websocket_urlpatterns as chat_routes
from vangnet.routing import websocket_urlpatterns

PACKAGE = Path(vangnet.__file__).parent
REPOSITORY = PACKAGE.parent.parent
ARCHITECTURE = REPOSITORY / "docs" / "architecture.md"
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def architecture() -> str:
    return ARCHITECTURE.read_text(encoding="utf-8")


def table_rows(text: str, heading: str) -> list[str]:
    """The first cell of each row of the first table after `heading`."""
    section = text.split(heading, 1)[1]
    rows = re.search(r"\n(\|.*\|\n)+", section)
    assert rows, f"no table after {heading}"
    lines = rows.group(0).strip().splitlines()[2:]  # past the header and its rule
    return [line.split("|")[1].strip() for line in lines]


def test_the_app_table_lists_every_app_of_ours():
    documented = {cell.strip("`") for cell in table_rows(architecture(), "## Code layout")}
    installed = {
        app.removeprefix("vangnet.")
        for app in settings.INSTALLED_APPS
        if app.startswith("vangnet.")
    }
    assert documented == installed


def _documented(route: str) -> str:
    return re.sub(r"<[a-z]+:[a-z_]+>", "<id>", route)


def test_the_socket_table_lists_every_route():
    cells = table_rows(architecture(), "Sockets (`chat/consumers.py`)")
    documented = {re.match(r"`([^`]+)`", cell).group(1) for cell in cells}  # type: ignore[union-attr]  # every row starts with its path
    routed = {_documented(str(route.pattern)) for route in websocket_urlpatterns}
    assert documented == routed


def test_the_number_of_chat_consumers_is_right():
    said = re.search(r"(\w+) WebSocket consumers", architecture())
    assert said and NUMBERS[said.group(1)] == len(chat_routes)


def named_files(text: str) -> set[str]:
    return set(re.findall(r"`((?:[a-z_]+/)+[a-z_0-9]+\.(?:py|md|toml))`", text))


def exists(name: str) -> bool:
    places = [PACKAGE, REPOSITORY, REPOSITORY / "src", REPOSITORY / "tests", REPOSITORY / "docs"]
    return any((place / name).exists() for place in places)


def test_every_file_the_architecture_and_the_adrs_name_exists():
    documents = [ARCHITECTURE, *sorted((REPOSITORY / "docs" / "adr").glob("*.md"))]
    missing = [
        f"{document.name}: {name}"
        for document in documents
        for name in sorted(named_files(document.read_text(encoding="utf-8")))
        if not exists(name)
    ]
    assert missing == []
