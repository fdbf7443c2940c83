from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    """Synthetic data at a multiple of Iwaki's size, for load tests only (never real data)."""

    name = "synthetic"
    verbose_name = "合成データ"
