from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Helpers every app uses: era dates, spreadsheets, exports, charts, shared form fields.

    Imports Django and libraries only, never an app of ours (docs/architecture.md).
    """

    name = "core"
    verbose_name = "共通"
