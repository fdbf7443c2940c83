"""The public directory of local resources (地域資源): who helps with what, where, when, and
how to ask; kept current by the coordinators.

Modelled on Open Referral's Human Services Data Specification (HSDS): an ``Entry`` is an HSDS
*service* (with its provider as the *organization*), ``Schedule`` rows are HSDS *schedules*
(RFC 5545 RRULE parts), ``Entry.service_areas`` the *service_area*, the place the *location*
(docs/decisions/0016-directory-modelled-on-hsds.md). Labels and values are Japanese.

Two dates are kept apart: ``confirmed_on`` (最終確認日, the day someone confirmed the entry
with its provider; HSDS ``assured_date``) moves only when someone says so, and ``updated_at``
moves with every edit. History is kept by django-simple-history.

Nothing here ever holds a supporter's personal data: the contact is an organisation's or an
office's (by default the coordinator's office of the entry's area, ``ContactOffice``).
"""

from __future__ import annotations

import calendar
import uuid
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.urls import reverse
from simple_history.models import HistoricalRecords

from accounts.access import ScopedQuerySet
from activities.models import SupportGroup
from coordinators.models import Coordinator
from core.models import NaturalKeyManager, limited_text, text_length_checks
from councils.models import Area
from needs_survey.models import HelpCategory

# Entries not confirmed for this many months are listed on the coordinator's home.
CONFIRM_EVERY_MONTHS = 6


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier (the month's last day when it has no such day)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class EntryKind(models.TextChoices):
    MUTUAL_AID = "mutual_aid", "住民支え合い活動"
    SALON = "salon", "つどいの場・サロン"
    MOBILE_SHOP = "mobile_shop", "移動販売"
    MEALS = "meals", "配食"
    WATCHING = "watching", "見守り"
    OUTING = "outing", "外出支援"
    HOUSEHOLD = "household", "家事・生活の手伝い"
    CONSULTATION = "consultation", "相談"
    OTHER = "other", "その他"


class EntryStatus(models.TextChoices):
    ACTIVE = "active", "活動中"
    SUSPENDED = "suspended", "休止中"
    ENDED = "ended", "終了"


class LocationKind(models.TextChoices):
    UNKNOWN = "unknown", "未確認"
    PUBLIC = "public", "公民館・集会所・店舗など"
    PRIVATE_HOME = "private_home", "個人宅"
    VISIT = "visit", "自宅に来てくれる(訪問)"


class ScheduleKind(models.TextChoices):
    UNKNOWN = "unknown", "未確認"
    REGULAR = "regular", "決まった曜日・日"
    ARRANGEMENT = "arrangement", "要相談"


class ContactKind(models.TextChoices):
    AREA_OFFICE = "area_office", "圏域の生活支援コーディネーター(地区協議会)"
    PROVIDER = "provider", "団体・事業所の窓口"


UNKNOWN_TEXT = "未確認"


@dataclass(frozen=True)
class Contact:
    """How to ask: an office's or an organisation's name, phone, hours and web page; never a
    person. ``is_area_office`` when it is the coordinator's office of the area."""

    name: str
    phone: str = ""
    hours: str = ""
    url: str = ""
    address: str = ""
    is_area_office: bool = False


class ContactOfficeQuerySet(ScopedQuerySet):
    pass


class ContactOffice(models.Model):
    """The public contact of a coordinator's office (地区協議会): what residents call to ask.

    The 2017 report names the placements but gives no phone or address, so none is shipped;
    an office without a row here is shown by its placement's name alone.
    """

    # The way from a row to its area: who may change it (accounts.access).
    area_path = "coordinator__areas"

    coordinator = models.OneToOneField(
        Coordinator,
        on_delete=models.CASCADE,
        related_name="contact_office",
        verbose_name="コーディネーターの配置",
    )
    name = models.CharField(
        "窓口の名前",
        max_length=200,
        blank=True,
        help_text="空欄なら「平地区協議会(生活支援コーディネーター)」のように配置場所から表示します",
    )
    phone = models.CharField("電話番号", max_length=50, blank=True)
    hours = models.CharField(
        "受付時間", max_length=200, blank=True, help_text="例: 平日 8:30〜17:15"
    )
    address = models.CharField("所在地", max_length=200, blank=True)
    url = models.URLField("ホームページ", blank=True)

    objects = ContactOfficeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "窓口(地区協議会)の連絡先"
        verbose_name_plural = "窓口(地区協議会)の連絡先"
        ordering = ["coordinator__number"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or default_office_name(self.coordinator)

    def contact(self) -> Contact:
        return Contact(
            name=self.display_name,
            phone=self.phone,
            hours=self.hours,
            url=self.url,
            address=self.address,
            is_area_office=True,
        )


def default_office_name(coordinator) -> str:
    return f"{coordinator.placement}(生活支援コーディネーター)"


def office_contact(coordinator) -> Contact:
    """The contact of a coordinator's office: its ContactOffice, or the placement's name."""
    try:
        office = coordinator.contact_office
    except ContactOffice.DoesNotExist:
        return Contact(name=default_office_name(coordinator), is_area_office=True)
    return office.contact()


def area_offices(area_ids) -> dict[int, Contact]:
    """The coordinator's office of each area, keyed by area id: the district coordinator who
    covers it, else the headquarters (who supervises every area). Two queries."""
    area_ids = set(area_ids)
    found = {}
    links = (
        Coordinator.areas.through.objects.filter(
            area_id__in=area_ids, coordinator__supervises_all=False
        )
        .select_related("coordinator__contact_office")
        .order_by("coordinator__number")
    )
    for link in links:
        found.setdefault(link.area_id, office_contact(link.coordinator))
    missing = area_ids - found.keys()
    if missing:
        supervisor = (
            Coordinator.objects.filter(supervises_all=True)
            .select_related("contact_office")
            .order_by("number")
            .first()
        )
        for area_id in missing:
            found[area_id] = (
                office_contact(supervisor)
                if supervisor
                else Contact(name="いわき市社会福祉協議会(生活支援コーディネーター)")
            )
    return found


class EntryQuerySet(ScopedQuerySet):
    def published(self):
        return self.filter(is_published=True)

    def listed(self):
        """What the public lists: published and not ended (an ended entry keeps its page)."""
        return self.published().exclude(status=EntryStatus.ENDED)

    def serving(self, area):
        return self.filter(service_areas=area)

    def offering(self, category):
        return self.filter(help_categories=category)

    def due_for_confirmation(self, today: date):
        """Not ended, and never confirmed or last confirmed more than six months ago."""
        limit = months_before(today, CONFIRM_EVERY_MONTHS)
        return self.exclude(status=EntryStatus.ENDED).filter(
            Q(confirmed_on__isnull=True) | Q(confirmed_on__lt=limit)
        )

    def active_first(self):
        """活動中, then 休止中, then 終了; by reading (or name) within each."""
        return self.annotate(
            status_rank=Case(
                When(status=EntryStatus.ACTIVE, then=Value(0)),
                When(status=EntryStatus.SUSPENDED, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        ).order_by("status_rank", "sort_key", "pk")

    def for_lists(self):
        """With what a list of entries shows: the area, the schedules, the help categories."""
        return self.select_related("area").prefetch_related(
            "schedules",
            models.Prefetch("help_categories", HelpCategory.objects.order_by("number")),
        )

    def for_display(self):
        """With what an entry's page and the open data show: also the areas served."""
        return self.for_lists().prefetch_related(
            models.Prefetch("service_areas", Area.objects.order_by("position"))
        )


class EntryManager(NaturalKeyManager.from_queryset(EntryQuerySet)):
    natural_key_field = "public_id"


class Entry(models.Model):
    """A local resource (地域資源): a group's mutual aid, a salon, a mobile shop, meals, …"""

    # The way from a row to its area: who may change it (accounts.access). The area is the one
    # whose coordinator keeps the entry current; the entry may serve others (service_areas).
    area_path = "area"

    public_id = models.UUIDField(
        "公開ID",
        unique=True,
        default=uuid.uuid4,
        editable=False,
        help_text="オープンデータ(HSDS)での識別子。変わりません",
    )
    name = models.CharField("名称", max_length=200)
    name_kana = models.CharField(
        "名称のよみ(カナ)",
        max_length=200,
        blank=True,
        help_text="読みにくい名前はよみを入れてください",
    )
    sort_key = models.CharField(
        "並べ替え用", max_length=200, editable=False, default="", help_text="よみ、なければ名称"
    )
    kind = models.CharField("種類", max_length=20, choices=EntryKind.choices)
    provider = models.CharField(
        "実施団体",
        max_length=200,
        help_text="活動している団体・事業所の名前。個人の氏名は書かないでください",
    )
    support_group = models.ForeignKey(
        SupportGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="directory_entries",
        verbose_name="支え合い活動団体",
        help_text="第3層の団体の活動であれば選ぶ",
    )
    description = limited_text("紹介", 2000, blank=True)
    services = limited_text(
        "実施サービス", 1000, help_text="例: 買い物代行、電球交換、ごみ出し(読点で区切る)"
    )
    help_categories = models.ManyToManyField(
        HelpCategory,
        related_name="directory_entries",
        blank=True,
        verbose_name="手伝ってほしいことの分類",
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="directory_entries",
        verbose_name="担当圏域",
        help_text="この圏域のコーディネーターが情報を確認します",
    )
    service_areas = models.ManyToManyField(
        Area, related_name="served_by_entries", verbose_name="対象圏域"
    )
    location_kind = models.CharField(
        "場所の種類", max_length=20, choices=LocationKind.choices, default=LocationKind.UNKNOWN
    )
    place_name = models.CharField(
        "場所の名前", max_length=200, blank=True, help_text="例: 玉川公民館"
    )
    address = models.CharField("所在地", max_length=200, blank=True)
    host_consent = models.BooleanField(
        "家主が場所の掲載に同意",
        default=False,
        help_text="個人宅で開くときだけ。同意がなければ場所も住所も掲載しません",
    )
    schedule_kind = models.CharField(
        "日時", max_length=20, choices=ScheduleKind.choices, default=ScheduleKind.UNKNOWN
    )
    schedule_note = models.CharField(
        "日時の補足", max_length=200, blank=True, help_text="例: 祝日と年末年始は休み"
    )
    fees = models.CharField("費用", max_length=200, blank=True, help_text="例: 無料、1回100円")
    eligibility = models.CharField(
        "利用できる人", max_length=200, blank=True, help_text="例: 地区内の65歳以上の方"
    )
    contact_kind = models.CharField(
        "問い合わせ先", max_length=20, choices=ContactKind.choices, default=ContactKind.AREA_OFFICE
    )
    contact_name = models.CharField(
        "窓口の名前", max_length=200, blank=True, help_text="団体・事業所の窓口。個人の氏名は不可"
    )
    contact_phone = models.CharField(
        "窓口の電話番号",
        max_length=50,
        blank=True,
        help_text="団体・事業所の番号。個人の番号は不可",
    )
    contact_hours = models.CharField("受付時間", max_length=200, blank=True)
    url = models.URLField("ホームページ", blank=True)
    note = limited_text("備考", 2000, blank=True)
    status = models.CharField(
        "状況", max_length=20, choices=EntryStatus.choices, default=EntryStatus.ACTIVE
    )
    suspended_notice = models.CharField(
        "休止のお知らせ",
        max_length=300,
        blank=True,
        help_text="例: 台風の被害のため、当面休止します",
    )
    suspended_until = models.DateField(
        "休止の予定期限", null=True, blank=True, help_text="再開の見込みの日。未定なら空欄"
    )
    confirmed_on = models.DateField(
        "最終確認日",
        null=True,
        blank=True,
        help_text="実施団体に内容を確かめた日。編集しただけでは変わりません",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name="最終確認をした人",
    )
    source = models.CharField(
        "出典", max_length=300, blank=True, help_text="報告書などから登録したときの出典"
    )
    source_as_of = models.DateField("出典の時点", null=True, blank=True)
    is_published = models.BooleanField(
        "公開", default=False, help_text="公開すると、ログインなしで誰でも見られます"
    )
    # Empty for the entries of the 2017 fixtures: when they were typed in is not known.
    created_at = models.DateTimeField("登録日時", auto_now_add=True, null=True)
    updated_at = models.DateTimeField("最終更新日時", auto_now=True, null=True)

    objects = EntryManager()
    history = HistoricalRecords(excluded_fields=["updated_at", "sort_key"])

    class Meta:
        verbose_name = "地域資源"
        verbose_name_plural = "地域資源"
        ordering = ["area__position", "sort_key", "pk"]
        indexes = [
            models.Index(
                fields=["is_published", "status", "sort_key"], name="directory_entry_listing"
            ),
            models.Index(fields=["area", "confirmed_on"], name="directory_entry_confirm"),
        ]
        constraints = [
            *text_length_checks(
                "directory_entry", {"description": 2000, "services": 1000, "note": 2000}
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EntryKind.values), name="directory_entry_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=EntryStatus.values), name="directory_entry_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(location_kind__in=LocationKind.values),
                name="directory_entry_location_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(schedule_kind__in=ScheduleKind.values),
                name="directory_entry_schedule_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(contact_kind__in=ContactKind.values),
                name="directory_entry_contact_kind_valid",
            ),
            # A private home is published only with its host's consent: without it, no place.
            models.CheckConstraint(
                condition=~Q(location_kind=LocationKind.PRIVATE_HOME, host_consent=False)
                | Q(place_name="", address=""),
                name="directory_entry_private_home_needs_consent",
            ),
            models.CheckConstraint(
                condition=Q(suspended_until__isnull=True) | Q(status=EntryStatus.SUSPENDED),
                name="directory_entry_until_only_when_suspended",
            ),
            models.CheckConstraint(
                condition=~Q(contact_kind=ContactKind.PROVIDER) | ~Q(contact_name=""),
                name="directory_entry_provider_contact_named",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.sort_key = (self.name_kana or self.name)[:200]
        fields = kwargs.get("update_fields")
        if fields is not None and {"name", "name_kana"} & set(fields):
            kwargs["update_fields"] = {*fields, "sort_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("directory:entry-detail", args=[self.pk])

    def get_public_url(self):
        return reverse("directory:public-entry", args=[self.pk])

    def natural_key(self):
        return (str(self.public_id),)

    natural_key.dependencies = [
        "councils.area",
        "needs_survey.helpcategory",
        "activities.supportgroup",
    ]

    def clean(self):
        errors = {}
        private = self.location_kind == LocationKind.PRIVATE_HOME
        if private and not self.host_consent and (self.place_name or self.address):
            errors["host_consent"] = (
                "個人宅の場所は、家主が掲載に同意したときだけ載せられます。"
                "同意がなければ「場所の名前」と「所在地」を空欄にしてください"
                "(場所は問い合わせ先で案内すると表示します)。"
            )
        if self.status != EntryStatus.SUSPENDED and self.suspended_until:
            errors["suspended_until"] = "休止の予定期限は、状況が「休止中」のときだけ入力します。"
        if self.contact_kind == ContactKind.PROVIDER and not self.contact_name.strip():
            errors["contact_name"] = (
                "団体・事業所の窓口を問い合わせ先にするときは、窓口の名前を入力してください。"
            )
        if errors:
            raise ValidationError(errors)

    # --- what pages show ----------------------------------------------------------------

    @property
    def is_listed(self) -> bool:
        return self.is_published and self.status != EntryStatus.ENDED

    @property
    def is_from_report(self) -> bool:
        return bool(self.source)

    def schedule_lines(self) -> list[str]:
        """The schedule in plain Japanese, one line per rule: 「毎週 火・金 10:00〜12:00」."""
        if self.schedule_kind == ScheduleKind.ARRANGEMENT:
            lines = [ScheduleKind.ARRANGEMENT.label]
        elif self.schedule_kind == ScheduleKind.REGULAR:
            lines = [schedule.describe() for schedule in self.schedules.all()] or [UNKNOWN_TEXT]
        else:
            lines = [UNKNOWN_TEXT]
        if self.schedule_note:
            lines.append(self.schedule_note)
        return lines

    def schedule_text(self) -> str:
        return "、".join(self.schedule_lines())

    def unknown_facts(self) -> list[str]:
        """What nobody has confirmed yet, by its label: 日時, 場所, 費用, 利用できる人."""
        unknown = []
        if self.schedule_kind == ScheduleKind.UNKNOWN:
            unknown.append("日時")
        if self.location_kind == LocationKind.UNKNOWN:
            unknown.append("場所")
        if not self.fees:
            unknown.append("費用")
        if not self.eligibility:
            unknown.append("利用できる人")
        return unknown

    def weekday_labels(self) -> list[str]:
        """The days of the week it runs, in week order (利用可能曜日); empty when not regular."""
        if self.schedule_kind != ScheduleKind.REGULAR:
            return []
        days = {code for schedule in self.schedules.all() for code in schedule.weekday_codes}
        return [WEEKDAYS[code] for code in WEEKDAYS if code in days]

    def place_text(self) -> str:
        """Where, as the public reads it: never a private home's place without consent."""
        if self.location_kind == LocationKind.PRIVATE_HOME:
            if not self.host_consent:
                return "個人宅のため、場所は問い合わせ先でご案内します"
            where = "・".join(part for part in (self.place_name, self.address) if part)
            return f"{where}(個人宅。家主の同意を得て掲載しています)" if where else "個人宅"
        if self.location_kind == LocationKind.VISIT:
            return "ご自宅に伺います"
        if self.location_kind == LocationKind.PUBLIC:
            return "・".join(part for part in (self.place_name, self.address) if part) or (
                UNKNOWN_TEXT
            )
        return UNKNOWN_TEXT

    @property
    def public_address(self) -> str:
        """The address open data may carry: none for a private home without consent."""
        if self.location_kind == LocationKind.PRIVATE_HOME and not self.host_consent:
            return ""
        if self.location_kind in (LocationKind.PUBLIC, LocationKind.PRIVATE_HOME):
            return self.address
        return ""

    def contact(self, offices: dict[int, Contact] | None = None) -> Contact:
        """How to ask: the provider's own window, or the coordinator's office of the area."""
        if self.contact_kind == ContactKind.PROVIDER:
            return Contact(
                name=self.contact_name, phone=self.contact_phone, hours=self.contact_hours
            )
        if offices is None:
            offices = area_offices([self.area_id])
        return offices.get(self.area_id) or Contact(name="—")

    def category_names(self) -> list[str]:
        return [category.name for category in self.help_categories.all()]

    def service_area_names(self) -> list[str]:
        return [area.name for area in self.service_areas.all()]

    def due_for_confirmation(self, today: date) -> bool:
        if self.status == EntryStatus.ENDED:
            return False
        return self.confirmed_on is None or self.confirmed_on < months_before(
            today, CONFIRM_EVERY_MONTHS
        )


WEEKDAYS = {
    "MO": "月",
    "TU": "火",
    "WE": "水",
    "TH": "木",
    "FR": "金",
    "SA": "土",
    "SU": "日",
}
WEEKDAY_PATTERN = r"^(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*$"
WEEKS = {"1": "第1", "2": "第2", "3": "第3", "4": "第4", "5": "第5", "-1": "最終"}
WEEKS_PATTERN = r"^(-1|[1-5])(,(-1|[1-5]))*$"


class Frequency(models.TextChoices):
    WEEKLY = "weekly", "毎週"
    MONTHLY = "monthly", "毎月"


class Schedule(models.Model):
    """A recurring time: weekly on given days, or the n-th weekday(s) of the month, with
    optional times. Stored as values; shown as 「毎週 火・金 10:00〜12:00」 and written to open
    data as an RFC 5545 RRULE (``rrule``)."""

    area_path = "entry__area"

    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="schedules", verbose_name="地域資源"
    )
    position = models.PositiveSmallIntegerField("表示順", default=1)
    frequency = models.CharField(
        "くり返し", max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    weekdays = models.CharField(
        "曜日", max_length=30, help_text="MO,TU,WE,TH,FR,SA,SU をカンマで区切る"
    )
    weeks = models.CharField(
        "第何週", max_length=20, blank=True, help_text="毎月のとき: 1〜5、最終は -1 (カンマ区切り)"
    )
    opens_at = models.TimeField("開始時刻", null=True, blank=True)
    closes_at = models.TimeField("終了時刻", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "日時"
        verbose_name_plural = "日時"
        ordering = ["entry", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values),
                name="directory_schedule_frequency_valid",
            ),
            models.CheckConstraint(
                condition=Q(weekdays__regex=WEEKDAY_PATTERN),
                name="directory_schedule_weekdays_valid",
            ),
            models.CheckConstraint(
                condition=Q(frequency=Frequency.WEEKLY, weeks="")
                | Q(frequency=Frequency.MONTHLY, weeks__regex=WEEKS_PATTERN),
                name="directory_schedule_weeks_match_frequency",
            ),
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True)
                | Q(opens_at__isnull=False, closes_at__gt=F("opens_at")),
                name="directory_schedule_times_in_order",
            ),
        ]

    def __str__(self):
        return self.describe()

    @property
    def weekday_codes(self) -> list[str]:
        codes = [code for code in self.weekdays.split(",") if code in WEEKDAYS]
        return [code for code in WEEKDAYS if code in codes]  # week order, once each

    @property
    def week_numbers(self) -> list[str]:
        found = [week for week in self.weeks.split(",") if week in WEEKS]
        return sorted(set(found), key=lambda week: 99 if week == "-1" else int(week))

    def times_text(self) -> str:
        if self.opens_at and self.closes_at:
            return f"{self.opens_at:%H:%M}〜{self.closes_at:%H:%M}"
        if self.opens_at:
            return f"{self.opens_at:%H:%M}から"
        return ""

    def describe(self) -> str:
        """「毎週 火・金 10:00〜12:00」, 「毎月 第2水曜日」, 「毎月 第1・第3 月・木曜日」."""
        days = "・".join(WEEKDAYS[code] for code in self.weekday_codes)
        if self.frequency == Frequency.MONTHLY:
            weeks = "・".join(WEEKS[week] for week in self.week_numbers)
            text = (
                f"毎月 {weeks}{days}曜日"
                if len(self.weekday_codes) == 1
                else f"毎月 {weeks} {days}曜日"
            )
        else:
            text = f"毎週 {days}"
        times = self.times_text()
        return f"{text} {times}" if times else text

    def rrule(self) -> str:
        """The rule as RFC 5545 writes it: FREQ=WEEKLY;BYDAY=TU,FR or FREQ=MONTHLY;BYDAY=2WE."""
        return f"FREQ={self.rrule_freq()};BYDAY={self.rrule_byday()}"

    def rrule_freq(self) -> str:
        return "MONTHLY" if self.frequency == Frequency.MONTHLY else "WEEKLY"

    def rrule_byday(self) -> str:
        if self.frequency == Frequency.MONTHLY:
            return ",".join(
                f"{week}{code}" for week in self.week_numbers for code in self.weekday_codes
            )
        return ",".join(self.weekday_codes)

    def clean(self):
        errors = {}
        if not self.weekday_codes:
            errors["weekdays"] = "曜日を選んでください。"
        if self.frequency == Frequency.MONTHLY and not self.week_numbers:
            errors["weeks"] = "毎月のときは、第何週かを選んでください(例: 第2)。"
        if self.frequency == Frequency.WEEKLY:
            self.weeks = ""
        if self.closes_at and not self.opens_at:
            errors["opens_at"] = "終了時刻を入れるときは開始時刻も入力してください。"
        elif self.closes_at and self.opens_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = "終了時刻が開始時刻より前になっています。"
        if errors:
            raise ValidationError(errors)
