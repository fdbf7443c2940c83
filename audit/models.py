"""The record of every use of personal data (個人情報の利用記録)."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class AccessAction(models.TextChoices):
    VIEW = "view", "閲覧"
    EXPORT = "export", "出力"
    IMPORT = "import", "取込"


class AccessRecord(models.Model):
    """Who saw, exported or imported supporters' personal data. Kept here, never in the app log.

    The area and group are named by label, not imported: audit sits below the domain apps
    (docs/decisions/0005-audit-below-the-domain-apps.md).
    """

    at = models.DateTimeField("日時", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name="利用者",
    )
    action = models.CharField("操作", max_length=10, choices=AccessAction.choices)
    what = models.CharField("対象", max_length=200)
    area = models.ForeignKey(
        "councils.Area",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="圏域",
    )
    group = models.ForeignKey(
        "activities.SupportGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="団体",
    )
    rows = models.PositiveIntegerField("件数", default=0)
    address = models.GenericIPAddressField("接続元", null=True, blank=True)

    class Meta:
        verbose_name = "個人情報の利用記録"
        verbose_name_plural = "個人情報の利用記録"
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=AccessAction.values),
                name="audit_accessrecord_action_valid",
            ),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()} {self.what}"
