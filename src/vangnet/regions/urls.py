"""The social map in the staff workspace, under /staff/social-map/."""

from django.urls import path

from . import views

app_name = "socialmap"

urlpatterns = [
    path("", views.entry_list, name="list"),
    path("new/", views.entry_create, name="new"),
    path("<int:entry_id>/edit/", views.entry_edit, name="edit"),
    path("<int:entry_id>/deactivate/", views.entry_deactivate, name="deactivate"),
    path("<int:entry_id>/reactivate/", views.entry_reactivate, name="reactivate"),
]
