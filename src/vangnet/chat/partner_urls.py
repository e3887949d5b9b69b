from django.urls import path

from . import partner_views

app_name = "partner"

urlpatterns = [
    path("", partner_views.handover_list, name="handovers"),
    path("new/", partner_views.handover_new, name="handover_new"),
    path("<int:handover_id>/", partner_views.handover_detail, name="handover"),
    path("<int:handover_id>/leave/", partner_views.handover_leave, name="handover_leave"),
    path("<int:handover_id>/cancel/", partner_views.handover_cancel, name="handover_cancel"),
]
