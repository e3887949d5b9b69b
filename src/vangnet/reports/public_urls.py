"""The reporter's status page: opened only through the link with the reference and the secret."""

from django.urls import path

from . import public_views

urlpatterns = [
    path("<str:reference>/", public_views.status, name="report_status"),
    path("<str:reference>/<str:token>/", public_views.status_link, name="report_status_link"),
]
