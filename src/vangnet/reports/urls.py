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
    path("<int:report_id>/transfer.pdf", views.transfer_document, name="transfer_pdf"),
]
