from django.urls import path

from . import views

app_name = "contacts"

urlpatterns = [
    path("", views.contact_list, name="list"),
    path("<int:contact_id>/", views.contact_detail, name="detail"),
    path("<int:contact_id>/break-glass/", views.break_glass, name="break_glass"),
    path("new/", views.contact_new, name="new"),
    path("search/", views.dossier_search, name="search"),
    path("dossiers/<int:dossier_id>/", views.dossier_detail, name="dossier"),
    path("dossiers/<int:dossier_id>/persons/", views.dossier_add_person, name="add_person"),
    path(
        "dossiers/<int:dossier_id>/persons/<int:person_id>/remove/",
        views.dossier_remove_person,
        name="remove_person",
    ),
    path("dossiers/<int:dossier_id>/close/", views.dossier_close, name="close"),
    path("dossiers/<int:dossier_id>/reopen/", views.dossier_reopen, name="reopen"),
    path("dossiers/<int:dossier_id>/owner/", views.dossier_change_owner, name="change_owner"),
]
