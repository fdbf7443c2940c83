from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Roles, access guards, the login log and the account commands."""

    name = "accounts"
    verbose_name = "アカウントと権限"

    def ready(self):
        from accounts import signals  # noqa: F401  (connects the login log receivers)
