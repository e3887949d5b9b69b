"""WebSocket routes of the core app: a health probe for the WebSocket path."""

from django.urls import path

from .consumers import HealthConsumer

websocket_urlpatterns = [path("ws/healthz/", HealthConsumer.as_asgi())]
