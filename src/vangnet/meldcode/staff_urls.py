from django.urls import path

from . import staff_views

app_name = "advice_requests"

urlpatterns = [
    path("", staff_views.queue, name="queue"),
    path("<int:request_id>/", staff_views.detail, name="detail"),
    path("<int:request_id>/take/", staff_views.take, name="take"),
    path("<int:request_id>/done/", staff_views.complete, name="complete"),
]
