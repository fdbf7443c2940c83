from django.apps import AppConfig


class AuditConfig(AppConfig):
    """Change history and restore, and the record of every use of personal data."""

    name = "audit"
    verbose_name = "監査"

    def ready(self):
        from audit import history, snapshots

        snapshots.connect(history.RESTORABLE)
