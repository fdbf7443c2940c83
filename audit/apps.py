from django.apps import AppConfig


class AuditConfig(AppConfig):
    """Change history and restore, and the record of every use of personal data."""

    name = "audit"
    verbose_name = "監査"
