"""The record of every use of personal data (個人情報の利用記録)."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
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


class DeletionSnapshot(models.Model):
    """What a deleted record's history row cannot hold, taken just before the deletion.

    django-simple-history keeps a deleted record's own columns. It does not keep its
    many-to-many links (Django removes them before the history row is written, and a relation
    declared on the other model, such as an opinion's help categories, is not tracked at all),
    the rows of other records that pointed at it (``SET_NULL`` clears them without history),
    the rows deleted with it that have no history of their own (a council's member
    organisations, a group's services), nor fields left out of the history (a meeting's
    version). ``audit.snapshots`` takes them here so that a restore brings the record back
    whole (docs/decisions/0015-deletion-snapshots.md).
    """

    model = models.CharField("種類", max_length=100, help_text="app_label.ModelName")
    object_id = models.BigIntegerField("記録の番号")
    history_id = models.BigIntegerField("削除の履歴の番号")
    data = models.JSONField("削除時のつながり", encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = "削除時のつながり"
        verbose_name_plural = "削除時のつながり"
        ordering = ["model", "object_id", "history_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["model", "history_id"], name="audit_deletionsnapshot_one_per_deletion"
            ),
        ]
        indexes = [
            models.Index(fields=["model", "object_id"], name="audit_deletionsnapshot_object"),
        ]

    def __str__(self):
        return f"{self.model} #{self.object_id} ({self.history_id})"
