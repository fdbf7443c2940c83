"""Livelihood-support coordinators (生活支援コーディネーター) and the areas they cover."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.models import NaturalKeyManager
from councils.models import Area, District


class CoordinatorTier(models.IntegerChoices):
    FIRST = 1, "第1層"
    SECOND = 2, "第2層"


class CoordinatorQuerySet(models.QuerySet):
    def covering(self, area):
        """Coordinators whose areas include ``area`` (the headquarters one covers every area)."""
        return self.filter(Q(areas=area) | Q(supervises_all=True)).distinct()


class CoordinatorManager(NaturalKeyManager.from_queryset(CoordinatorQuerySet)):
    natural_key_field = "placement"


class Coordinator(models.Model):
    """A coordinator placement. The seed names no persons, so a placement is the identity."""

    number = models.PositiveSmallIntegerField("番号", unique=True, help_text="報告書の配置表の番号")
    placement = models.CharField(
        "配置場所", max_length=100, unique=True, help_text="例: 平地区協議会、社会福祉協議会本部"
    )
    tier = models.PositiveSmallIntegerField(
        "分類", choices=CoordinatorTier.choices, default=CoordinatorTier.SECOND
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="coordinators",
        null=True,
        blank=True,
        verbose_name="地区",
        help_text="本部の統括コーディネーターは空欄",
    )
    areas = models.ManyToManyField(
        Area, related_name="coordinators", blank=True, verbose_name="担当圏域"
    )
    coverage_label = models.CharField(
        "圏域(報告書の表記)", max_length=100, blank=True, help_text="例: 勿来・田人、各圏域の統括"
    )
    supervises_all = models.BooleanField(
        "全圏域を統括", default=False, help_text="本部の統括コーディネーターは全圏域を担当する"
    )
    since = models.DateField("設置年月日", null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinator",
        verbose_name="ログインアカウント",
    )

    objects = CoordinatorManager()

    class Meta:
        verbose_name = "生活支援コーディネーター"
        verbose_name_plural = "生活支援コーディネーター"
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tier__in=CoordinatorTier.values),
                name="coordinators_coordinator_tier_valid",
            ),
            models.CheckConstraint(
                condition=Q(supervises_all=True, district__isnull=True)
                | Q(supervises_all=False, district__isnull=False),
                name="coordinators_coordinator_district_or_supervisor",
            ),
        ]

    def __str__(self):
        return self.placement

    def get_absolute_url(self):
        return reverse("coordinators:coordinator-detail", args=[self.pk])

    def natural_key(self):
        return (self.placement,)

    natural_key.dependencies = ["councils.area", "councils.district"]

    def covered_areas(self):
        """The areas this coordinator answers for: all of them for the headquarters supervisor."""
        if self.supervises_all:
            return Area.objects.all()
        return self.areas.all()


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """A user's secret for the calendar feeds: calendar apps cannot log in, so the URL is the key.

    Resetting it replaces the token, and every URL made with the old one stops working.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_token",
        verbose_name="利用者",
    )
    token = models.CharField(
        "トークン", max_length=64, unique=True, default=new_calendar_token, editable=False
    )
    created_at = models.DateTimeField("発行日時", auto_now=True)

    class Meta:
        verbose_name = "カレンダー配信用トークン"
        verbose_name_plural = "カレンダー配信用トークン"
        ordering = ["user"]

    def __str__(self):
        return f"{self.user} のカレンダー配信用トークン"

    @classmethod
    def for_user(cls, user) -> "CalendarToken":
        token, _ = cls.objects.get_or_create(user=user)
        return token

    def reset(self):
        self.token = new_calendar_token()
        self.save(update_fields=["token", "created_at"])
