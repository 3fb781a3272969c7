from django.apps import AppConfig


class ToegangConfig(AppConfig):
    name = "perspectief.toegang"
    label = "toegang"
    verbose_name = "Toegang"
