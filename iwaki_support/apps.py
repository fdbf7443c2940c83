from django.apps import AppConfig


class IwakiSupportConfig(AppConfig):
    name = "iwaki_support"
    verbose_name = "生活支援体制整備事業"

    def ready(self):
        from iwaki_support import accounts  # noqa: F401  (connects the login log receivers)
