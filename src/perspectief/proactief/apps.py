from django.apps import AppConfig


class ProactiefConfig(AppConfig):
    name = "perspectief.proactief"
    label = "proactief"
    verbose_name = "Proactief toekennen"
