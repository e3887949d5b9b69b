"""`python -m vangnet.serve`: uvicorn with the settings the chat depends on (ADR 0038)."""

from uvicorn.main import main as uvicorn_main

from vangnet import serve


def parsed(*given: str) -> dict[str, object]:
    context = uvicorn_main.make_context("vangnet.serve", serve.arguments(list(given)))
    return dict(context.params)


def test_the_web_process_serves_the_application_with_the_chats_settings():
    params = parsed()

    assert params["app"] == "vangnet.asgi:application"
    assert params["ws_per_message_deflate"] is False  # no compressor kept per socket
    assert params["ws_ping_interval"] == 20.0
    assert params["ws_ping_timeout"] == 60.0  # a busy moment does not hang up on sockets
    assert params["lifespan"] == "off"


def test_an_operators_option_overrides_the_default():
    params = parsed("--ws-ping-timeout", "90", "--workers", "4", "--port", "8001")

    assert params["ws_ping_timeout"] == 90.0
    assert params["workers"] == 4
    assert params["port"] == 8001
    assert params["ws_per_message_deflate"] is False
