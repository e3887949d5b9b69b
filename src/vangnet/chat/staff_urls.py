from django.urls import path

from . import console_views, floor_views, staff_views, standard_text_views

app_name = "chat_staff"

urlpatterns = [
    path("", staff_views.queue, name="queue"),
    path("queue/", staff_views.queue_fragment, name="queue_fragment"),
    path("availability/", staff_views.availability, name="availability"),
    path("desk/", staff_views.desk, name="desk"),
    path("console/", console_views.console_page, name="console"),
    path("console/next/", console_views.accept_next, name="accept_next"),
    path("floor/", floor_views.floor_page, name="floor"),
    path("floor/<int:conversation_id>/look/", floor_views.look, name="floor_look"),
    path("floor/<int:conversation_id>/note/", floor_views.note, name="floor_note"),
    path("floor/<int:conversation_id>/take-over/", floor_views.take_over, name="floor_take_over"),
    path("floor/employees/<int:user_id>/return/", floor_views.return_chats, name="floor_return"),
    path("floor/employees/<int:user_id>/capacity/", floor_views.capacity, name="floor_capacity"),
    path("standard-texts/", standard_text_views.text_list, name="standard_texts"),
    path("standard-texts/new/", standard_text_views.text_new, name="standard_text_new"),
    path(
        "standard-texts/<int:text_id>/edit/",
        standard_text_views.text_edit,
        name="standard_text_edit",
    ),
    path("<int:conversation_id>/", staff_views.conversation, name="conversation"),
    path("<int:conversation_id>/accept/", staff_views.accept, name="accept"),
    path("<int:conversation_id>/resource/", staff_views.send_resource, name="resource"),
    path("<int:conversation_id>/forward/", staff_views.forward, name="forward"),
    path("<int:conversation_id>/transcript/", console_views.transcript, name="transcript"),
    path("<int:conversation_id>/close/", staff_views.close, name="close"),
    path("<int:conversation_id>/code/", staff_views.give_code, name="code"),
    path("handovers/<int:handover_id>/", staff_views.phone_handover, name="phone_handover"),
    path("codes/<int:code_id>/revoke/", staff_views.revoke_code, name="revoke_code"),
    path(
        "handovers/<int:handover_id>/accept/",
        staff_views.accept_phone_handover,
        name="accept_phone_handover",
    ),
]
