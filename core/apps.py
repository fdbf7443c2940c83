from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Helpers every app uses: era dates, spreadsheets, exports, charts, shared form fields.

    Imports Django and libraries only, never an app of ours (docs/architecture.md).
    """

    name = "core"
    verbose_name = "共通"

    def ready(self):
        from core.validators import install_form_validator

        # Every text field of every form refuses control characters (core.validators).
        install_form_validator()
