from django.apps import AppConfig


class NeedsSurveyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "needs_survey"
    verbose_name = "ニーズ調査"
