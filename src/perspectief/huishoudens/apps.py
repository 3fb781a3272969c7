from django.apps import AppConfig


class HuishoudensConfig(AppConfig):
    name = "perspectief.huishoudens"
    label = "huishoudens"
    verbose_name = "Huishoudens"
