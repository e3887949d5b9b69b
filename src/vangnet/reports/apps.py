from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "vangnet.reports"
    label = "reports"
