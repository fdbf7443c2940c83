from django.apps import AppConfig


class CoordinatorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "coordinators"
    verbose_name = "生活支援コーディネーター"
