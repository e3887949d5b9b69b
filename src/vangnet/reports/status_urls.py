from django.urls import path

from . import status_views

app_name = "report_status"

urlpatterns = [
    path("<str:token>/", status_views.report_status, name="status"),
]
