"""WebSocket routes of all apps, collected in one place."""

from vangnet.core.routing import websocket_urlpatterns as core_patterns

websocket_urlpatterns = [*core_patterns]
