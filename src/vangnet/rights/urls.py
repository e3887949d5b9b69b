from django.urls import path

from . import views

app_name = "rights"

urlpatterns = [
    path("retention/", views.retention, name="retention"),
    path("retention/hold/", views.retention_hold, name="retention_hold"),
    path("holds/<slug:kind>/<int:object_id>/", views.hold, name="hold"),
    path("meldcode-retention/", views.meldcode_term, name="meldcode_term"),
    path("requests/", views.request_list, name="requests"),
    path("requests/new/<int:report_id>/", views.request_new, name="request_new"),
    path(
        "requests/new/dossier/<int:dossier_id>/",
        views.request_new_dossier,
        name="request_new_dossier",
    ),
    path("requests/<int:request_id>/", views.request_detail, name="request_detail"),
    path("requests/<int:request_id>/copy.pdf", views.copy_pdf, name="copy_pdf"),
    path("requests/<int:request_id>/<slug:action>/", views.request_action, name="request_action"),
]
