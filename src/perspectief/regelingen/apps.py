from django.apps import AppConfig


class RegelingenConfig(AppConfig):
    name = "perspectief.regelingen"
    label = "regelingen"
    verbose_name = "Regelingen"
