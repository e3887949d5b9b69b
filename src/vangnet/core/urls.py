from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.start, name="start"),
    path("healthz", views.healthz, name="healthz"),
    path("exit/", views.quick_exit, name="quick_exit"),
    path("robots.txt", views.robots, name="robots"),
]
