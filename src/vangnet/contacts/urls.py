from django.urls import path

from . import views

app_name = "contacts"

urlpatterns = [
    path("", views.contact_list, name="list"),
    path("<int:contact_id>/", views.contact_detail, name="detail"),
    path("<int:contact_id>/break-glass/", views.break_glass, name="break_glass"),
    path("dossiers/<int:dossier_id>/", views.dossier_detail, name="dossier"),
]
