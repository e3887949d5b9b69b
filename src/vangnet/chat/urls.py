from django.urls import path

from . import views

app_name = "chat"

urlpatterns = [
    path("", views.chat, name="chat"),
    path("leave/", views.leave, name="leave"),
    path("still-here/", views.still_here, name="still_here"),
    path("feedback/", views.feedback, name="feedback"),
]
