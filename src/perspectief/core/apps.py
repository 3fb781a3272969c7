from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "perspectief.core"
    label = "core"
    verbose_name = "Perspectief"
