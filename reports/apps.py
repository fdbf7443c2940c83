from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Pages above the domain apps: home, the district status table, outcomes."""

    name = "reports"
    verbose_name = "集計と報告"
