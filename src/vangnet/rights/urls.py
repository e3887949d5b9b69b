from django.urls import path

from . import views

app_name = "rights"

urlpatterns = [
    path("retention/", views.retention, name="retention"),
]
