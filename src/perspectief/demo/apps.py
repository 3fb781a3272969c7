from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "perspectief.demo"
    label = "demo"
    verbose_name = "Demogemeente Voorbeeld"
