from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_new, name="new"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("<int:report_id>/", views.report_detail, name="detail"),
    path("<int:report_id>/reporter/", views.reporter_identity, name="reporter"),
    path("<int:report_id>/steps/<slug:step>/", views.report_step, name="step"),
    path("<int:report_id>/owner/", views.report_owner, name="owner"),
    path("<int:report_id>/journal/", views.report_note, name="note"),
    path("<int:report_id>/persons/", views.report_add_person, name="add_person"),
    path("<int:report_id>/legal-hold/", views.report_legal_hold, name="legal_hold"),
    path("<int:report_id>/break-glass/", views.report_break_glass, name="break_glass"),
    path("<int:report_id>/status-link/", views.report_status_link, name="status_link"),
    path("<int:report_id>/transfer.pdf", views.transfer_document, name="transfer_pdf"),
]
