"""The reporter's status page: reached only with the reference and the secret of the link."""

from django.urls import path

from . import public_views

urlpatterns = [
    path("<str:reference>/<str:token>/", public_views.status, name="report_status"),
]
