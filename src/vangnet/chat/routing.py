"""WebSocket routes of the chat."""

from django.urls import path

from .consumers import (
    StaffChatConsumer,
    StaffQueueConsumer,
    VisitorChatConsumer,
    VolunteerChatConsumer,
)

websocket_urlpatterns = [
    path("ws/chat/", VisitorChatConsumer.as_asgi()),
    path("ws/staff/chat/queue/", StaffQueueConsumer.as_asgi()),
    path("ws/staff/chat/<int:conversation_id>/", StaffChatConsumer.as_asgi()),
    path("ws/partner/handovers/<int:handover_id>/", VolunteerChatConsumer.as_asgi()),
]
