"""The national survey's figures for a fiscal year, from the records.

Every municipality answers MHLW's yearly 介護予防・日常生活支援総合事業等の実施状況に関する調査; its
生活支援体制整備事業 part asks whether tiers 1 and 2 cover the same areas, how many councils and
coordinators each tier has, what they did in the year, and what the municipality asks its
coordinators to report. ``survey_answer`` gives each figure with a link to the records it
counts, so that a figure can be checked before it is sent.

Counts of councils and coordinators are those standing at the year's end (established, or
placed, on or before 31 March). A record whose date is unknown is counted and said so (the
2017 tier-3 councils have no establishment date). Meetings are those of the fiscal year;
groups and services "created in the year" are those whose council was established, or whose
service started, within it; the coordinators' activity is the journal's (``journal.rollup``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from activities.models import GroupService, SupportGroup
from coordinators.models import Coordinator, CoordinatorTier
from core import wareki
from councils.models import Council, Meeting, MeetingStatus, Tier
from journal.rollup import Rollup, journal_rollup


def _url(name, **query) -> str:
    query = {key: value for key, value in query.items() if value not in (None, "")}
    return reverse(name) + (f"?{urlencode(query)}" if query else "")


@dataclass
class Figure:
    label: str
    value: int | None
    url: str = ""
    note: str = ""
    unit: str = ""


@dataclass
class MeetingCounts:
    tier_label: str
    held: Figure
    planned: Figure
    cancelled: Figure


@dataclass
class Created:
    figure: Figure
    undated: int
    records: list = field(default_factory=list)


@dataclass
class SurveyAnswer:
    fiscal_year: int
    same_areas: str
    same_areas_note: str
    councils: list[Figure]
    coordinators: list[Figure]
    meetings: list[MeetingCounts]
    groups_created: Created
    services_created: Created
    activity: Rollup
    requested: list[Figure]

    @property
    def label(self) -> str:
        return wareki.format_fiscal_year(self.fiscal_year)

    @property
    def created_list(self) -> list[Created]:
        return [self.groups_created, self.services_created]


def _councils(fiscal_year, last) -> tuple[list[Figure], int]:
    standing = Q(is_established=True) & (
        Q(established_on__isnull=True) | Q(established_on__lte=last)
    )
    counts = {
        row["tier"]: row
        for row in Council.objects.filter(standing)
        .order_by()
        .values("tier")
        .annotate(n=Count("pk"), undated=Count("pk", filter=Q(established_on__isnull=True)))
    }
    figures = []
    for tier, label in Tier.choices:
        row = counts.get(tier, {"n": 0, "undated": 0})
        note = ""
        if tier == Tier.FIRST and not row["n"]:
            note = "設置していない"
        if row["undated"]:
            note = f"うち設置日の記録なし{row['undated']}"
        if tier == Tier.THIRD:
            note = ("参考(調査の問いは第1層・第2層)。" + note).rstrip("。")
        figures.append(
            Figure(f"{label}協議体", row["n"], _url("councils:council-list", tier=tier), note, "")
        )
    tier2_areas = counts.get(Tier.SECOND, {"n": 0})["n"]
    return figures, tier2_areas


def _coordinators(last) -> list[Figure]:
    counts = {
        row["tier"]: row
        for row in Coordinator.objects.filter(Q(since__isnull=True) | Q(since__lte=last))
        .order_by()
        .values("tier")
        .annotate(n=Count("pk"), undated=Count("pk", filter=Q(since__isnull=True)))
    }
    figures = []
    for tier, label in CoordinatorTier.choices:
        row = counts.get(tier, {"n": 0, "undated": 0})
        note = "設置していない" if not row["n"] else ""
        if tier == CoordinatorTier.SECOND:
            supervisors = Coordinator.objects.filter(
                Q(since__isnull=True) | Q(since__lte=last), tier=tier, supervises_all=True
            ).count()
            if supervisors:
                note = f"うち全圏域を統括{supervisors}名(社会福祉協議会本部)"
        if row["undated"]:
            note = (note + f" 設置時期の記録なし{row['undated']}名").strip()
        figures.append(
            Figure(
                f"{label}コーディネーター",
                row["n"],
                reverse("coordinators:coordinator-list"),
                note,
                "名",
            )
        )
    return figures


def _meetings(fiscal_year) -> list[MeetingCounts]:
    counts = {
        (row["council__tier"], row["status"]): row["n"]
        for row in Meeting.objects.in_fiscal_year(fiscal_year)
        .order_by()
        .values("council__tier", "status")
        .annotate(n=Count("pk"))
    }
    rows = []
    for tier, label in Tier.choices:

        def figure(status, text, tier=tier):
            return Figure(
                text,
                counts.get((tier, status), 0),
                # The meeting list filters tiers 2 and 3 (no tier-1 council meets in Iwaki).
                _url("councils:meeting-list", fiscal_year=fiscal_year, tier=tier, status=status)
                if tier != Tier.FIRST
                else "",
                unit="回",
            )

        rows.append(
            MeetingCounts(
                tier_label=f"{label}協議体",
                held=figure(MeetingStatus.HELD, "開催"),
                planned=figure(MeetingStatus.PLANNED, "予定"),
                cancelled=figure(MeetingStatus.CANCELLED, "中止"),
            )
        )
    return rows


def _created(fiscal_year, first, last) -> tuple[Created, Created]:
    groups = SupportGroup.objects.select_related("council__area")
    new_groups = list(
        groups.filter(council__established_on__range=(first, last)).order_by(
            "council__established_on", "name"
        )
    )
    undated_groups = groups.filter(council__established_on__isnull=True)
    undated_model = undated_groups.filter(model_number__isnull=False).count()
    undated_count = undated_groups.count()
    note = ""
    if undated_count:
        note = f"ほかに設置日の記録がない団体{undated_count}"
        if undated_model:
            note += f"(うちH27・H28モデル事業で設置{undated_model})"
    services = GroupService.objects.select_related("group")
    new_services = list(
        services.filter(started_on__range=(first, last)).order_by("started_on", "group__name")
    )
    undated_services = services.filter(started_on__isnull=True).count()
    return (
        Created(
            Figure(
                "この年度に設置された支え合い活動団体(第3層)",
                len(new_groups),
                _url("activities:supportgroup-list", established_in=fiscal_year),
                note,
                "団体",
            ),
            undated_count,
            new_groups,
        ),
        Created(
            Figure(
                "この年度に始まったサービス",
                len(new_services),
                _url("activities:supportgroup-list", service_started_in=fiscal_year),
                f"ほかに開始日の記録がないサービス{undated_services}" if undated_services else "",
                "件",
            ),
            undated_services,
            new_services,
        ),
    )


def survey_answer(fiscal_year: int) -> SurveyAnswer:
    first, last = wareki.fiscal_year_bounds(fiscal_year)
    councils, tier2_areas = _councils(fiscal_year, last)
    tier1 = councils[0].value
    if tier2_areas == 0:
        same, note = "—", "第2層協議体の記録がありません。"
    elif tier2_areas == 1:
        same, note = "同じ", "第2層は1圏域で、第1層(市全域)と同じ範囲です。"
    else:
        same = "異なる"
        note = f"第1層は市全域、第2層は{tier2_areas}圏域(旧市町村圏域)。"
        if not tier1:
            note += "第1層の協議体は設置していません。"
    activity = journal_rollup(fiscal_year)
    groups_created, services_created = _created(fiscal_year, first, last)
    requested = [
        Figure(
            "活動実績",
            activity.total.count,
            activity.total.url,
            "活動記録(このシステム)で報告を受けている。会議の記録は別",
            "件",
        ),
        Figure(
            "今後の課題や提案",
            activity.notes_written,
            reverse("journal:summary", args=[fiscal_year]) + "#notes",
            f"コーディネーター{len(activity.rows)}名のうち記入済み",
            "名",
        ),
    ]
    return SurveyAnswer(
        fiscal_year=fiscal_year,
        same_areas=same,
        same_areas_note=note,
        councils=councils,
        coordinators=_coordinators(last),
        meetings=_meetings(fiscal_year),
        groups_created=groups_created,
        services_created=services_created,
        activity=activity,
        requested=requested,
    )
