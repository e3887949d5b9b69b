"""Notices on a record's page that another app owns: an app higher up says something about a
record of an app below it without that app importing it (the apps' direction, ADR 0027).

The rights app says "Bewaarplicht: niet vernietigen" on an advice dossier, a contact, a chat
and a meldcode record: it registers a provider at start-up, and each of those pages renders
`{% record_notices obj %}`. A provider gets the user and the record and returns what to show,
deciding itself who may see it; it reads no more than it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Notice:
    text: str
    # A page where the user can act on it (empty when they may not).
    link: str = ""
    link_text: str = ""
    # An emphasised notice (a warning), or a quiet one (a link only).
    strong: bool = False


Provider = Callable[[Any, Any], list[Notice]]

_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def notices_for(user: Any, obj: Any) -> list[Notice]:
    return [notice for provider in _providers for notice in provider(user, obj)]
