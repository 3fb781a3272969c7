from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "perspectief.audit"
    label = "audit"
    verbose_name = "Auditlog"
