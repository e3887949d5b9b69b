from django.urls import path

from . import partner_views

app_name = "partner_reports"

urlpatterns = [
    path("", partner_views.transfer_list, name="transfers"),
    path("<int:report_id>/", partner_views.transfer_detail, name="transfer"),
    path("<int:report_id>/document.pdf", partner_views.transfer_document, name="document"),
    path("<int:report_id>/accept/", partner_views.transfer_accept, name="accept"),
]
