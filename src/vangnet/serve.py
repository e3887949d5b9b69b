"""`python -m vangnet.serve [uvicorn options]`: the web process, as uvicorn with the settings
the chat depends on (docs/operations.md, ADR 0038). An option given on the command line
overrides the default here (`--host`, `--port`, `--workers`, `--proxy-headers`, ...).

One place for them: `make demo`, `make serve`, the benchmarks and the tests that start real
servers all start the process this way, so what is measured and tested is what runs.
"""

from __future__ import annotations

import sys
from typing import Any

from uvicorn.main import main as uvicorn_main

APPLICATION = "vangnet.asgi:application"

# uvicorn.Config's names and values; `argv()` spells them as uvicorn's options.
SETTINGS: dict[str, Any] = {
    # No ASGI lifespan: the application has nothing to start or stop.
    "lifespan": "off",
    # A process busy for a moment must not hang up (1011) on every chat socket whose answer
    # to its keepalive ping it has not read yet (ADR 0029): uvicorn's default is 20 s.
    "ws_ping_interval": 20.0,
    "ws_ping_timeout": 60.0,
    # No per-message compression of WebSocket frames (ADR 0038): chat frames are small, and
    # the compressor kept per socket cost about 50 KB each (a third of a process at 1,000
    # conversations) and a tenth of the event loop; compressing a visitor's words in one
    # stream with what else the socket carries would also let their sizes tell on them.
    "ws_per_message_deflate": False,
}


def argv() -> list[str]:
    """SETTINGS as uvicorn's command-line options."""
    options: list[str] = []
    for name, value in SETTINGS.items():
        spelled = str(value).lower() if isinstance(value, bool) else str(value)
        options += [f"--{name.replace('_', '-')}", spelled]
    return options


def arguments(given: list[str]) -> list[str]:
    """uvicorn's command line: the application, SETTINGS, then what the operator gave — click
    takes the last value of an option given twice, so the operator's win."""
    return [APPLICATION, *argv(), *given]


def main(given: list[str] | None = None) -> None:
    uvicorn_main.main(
        args=arguments(sys.argv[1:] if given is None else given), prog_name="vangnet.serve"
    )


if __name__ == "__main__":
    main()
