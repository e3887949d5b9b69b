from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "vangnet.demo"
    verbose_name = "Demo data"
