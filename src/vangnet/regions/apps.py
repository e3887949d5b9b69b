from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "vangnet.regions"
    label = "regions"
