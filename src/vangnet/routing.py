"""WebSocket routes of all apps, collected in one place, and the stack that serves them."""

from typing import Any

from vangnet.chat.routing import websocket_urlpatterns as chat_patterns
from vangnet.core.routing import websocket_urlpatterns as core_patterns

websocket_urlpatterns = [*core_patterns, *chat_patterns]


def websocket_application() -> Any:
    """The sockets' ASGI application: the origin checked, the cookies read, then the route.

    Neither Channels' `AuthMiddlewareStack` nor its `SessionMiddlewareStack`: a socket reads
    its session itself, from the store, when it needs it — a staff socket checks its login,
    device and session at connect and on every frame (`accounts.websocket.verify`), a
    visitor's socket finds its chat at connect (`accounts.websocket.session_of`). The
    session middleware loaded every socket's session at connect (one more trip to the
    database thread) and kept it, a copy of the scope and a wrapper of `send` for the
    socket's life; the auth middleware did the same with a user nothing read."""
    from channels.routing import URLRouter
    from channels.security.websocket import AllowedHostsOriginValidator
    from channels.sessions import CookieMiddleware

    return AllowedHostsOriginValidator(CookieMiddleware(URLRouter(websocket_urlpatterns)))
