from django.apps import AppConfig


class RegelingencheckConfig(AppConfig):
    name = "perspectief.regelingencheck"
    label = "regelingencheck"
    verbose_name = "Regelingencheck"
