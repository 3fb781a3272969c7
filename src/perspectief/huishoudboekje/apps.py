from django.apps import AppConfig


class HuishoudboekjeConfig(AppConfig):
    name = "perspectief.huishoudboekje"
    label = "huishoudboekje"
    verbose_name = "Huishoudboekje"
