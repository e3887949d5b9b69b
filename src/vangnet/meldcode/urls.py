from django.urls import path

from . import views

app_name = "meldcode"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("new/", views.record_new, name="new"),
    path("<int:record_id>/", views.record_detail, name="detail"),
    path("<int:record_id>/signals/", views.signals, name="signals"),
    path("<int:record_id>/consultation/", views.consultation, name="consultation"),
    path("<int:record_id>/advice/", views.advice_request, name="advice"),
    path("<int:record_id>/conversation/", views.conversation, name="conversation"),
    path("<int:record_id>/weighing/", views.weighing, name="weighing"),
    path("<int:record_id>/decision/", views.decision, name="decision"),
    path("<int:record_id>/report/", views.report, name="report"),
    path("<int:record_id>/report/online/", views.report_online, name="report_online"),
    path("<int:record_id>/reminders/", views.reminder_add, name="reminder_add"),
    path("<int:record_id>/pdf/", views.record_pdf, name="pdf"),
    path("reminders/<int:reminder_id>/dismiss/", views.reminder_dismiss, name="reminder_dismiss"),
]
