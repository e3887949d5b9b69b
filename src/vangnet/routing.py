"""WebSocket routes of all apps, collected in one place."""

from vangnet.chat.routing import websocket_urlpatterns as chat_patterns
from vangnet.core.routing import websocket_urlpatterns as core_patterns

websocket_urlpatterns = [*core_patterns, *chat_patterns]
