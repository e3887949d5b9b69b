"""WebSocket routes of all apps, collected in one place, and the stack that serves them."""

from typing import Any

from vangnet.chat.routing import websocket_urlpatterns as chat_patterns
from vangnet.core.routing import websocket_urlpatterns as core_patterns

websocket_urlpatterns = [*core_patterns, *chat_patterns]


def websocket_application() -> Any:
    """The sockets' ASGI application: the origin checked, the cookies and the session read,
    then the route.

    Not Channels' `AuthMiddlewareStack`: nothing reads the `scope["user"]` it fills — a staff
    socket checks its login, device and session itself at connect and on every frame
    (`accounts.websocket.verify`) — and filling it cost every socket a hop to the database
    thread at connect and a user object for all of its life."""
    from channels.routing import URLRouter
    from channels.security.websocket import AllowedHostsOriginValidator
    from channels.sessions import SessionMiddlewareStack

    return AllowedHostsOriginValidator(SessionMiddlewareStack(URLRouter(websocket_urlpatterns)))
