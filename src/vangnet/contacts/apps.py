from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "vangnet.contacts"
    label = "contacts"
