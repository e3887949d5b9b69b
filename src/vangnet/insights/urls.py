from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:scope>/", views.dashboard, name="dashboard"),
    path("<slug:scope>/csv/<slug:chart>/", views.chart_csv, name="chart_csv"),
    path("<slug:scope>/bezetting/", views.staffing, name="forecast"),
    path("<slug:scope>/statistiek/", views.statistics, name="statistics"),
]
