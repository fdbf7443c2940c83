"""The year's report and the survey's figures as workbooks: one sheet per section, typed
(numbers, dates), each with its title and caption (``core.exports.to_xlsx_book``)."""

from __future__ import annotations

from activities.models import FigureCategory, NoteTopic
from core import wareki
from core.exports import Sheet
from reports.survey import SurveyAnswer
from reports.yearly import YearReport

NOT_RECORDED = "記録なし"


def _month_text(month):
    """A planned month as era text (平成30年2月): never a full date such as 2018/02/01."""
    return wareki.format_month(month) if month else None


def _date_text(day):
    return wareki.format_date(day) if day else ""


def _figure_rows(lines):
    for line in lines:
        figure = line.figure
        yield [
            figure.label,
            figure.value,
            figure.unit,
            figure.as_of,
            figure.as_of_text,
            figure.source,
            figure.note,
            wareki.format_fiscal_year(figure.report_year),
        ]


FIGURE_HEADERS = ["項目", "値", "単位", "時点", "時点(出典の表記)", "出典", "注記", "記録の年度"]


def _notes_rows(report: YearReport, *topics):
    rows = []
    for topic in topics:
        label = NoteTopic(topic).label
        notes = report.notes[topic]
        if not notes:
            rows.append([label, f"{report.label}の{NOT_RECORDED}", ""])
        rows += [[label, note.text, note.source] for note in notes]
    return rows


def report_sheets(report: YearReport) -> list[Sheet]:
    label = report.label
    councils = report.councils
    sheets = [
        Sheet(
            "基礎データ",
            FIGURE_HEADERS,
            [
                *_figure_rows(report.figures[FigureCategory.PROFILE]),
                *_figure_rows(report.figures[FigureCategory.COMMUNITY_CARE]),
            ],
            caption=f"{label}の報告書に載せる値(その年度の記録がない項目は直近の年度の値)",
        ),
        Sheet(
            "協議体の設置",
            ["層", "協議体", "圏域", "設置", "設置日", "備考"],
            [
                *(
                    [
                        [
                            "第1層",
                            councils.tier1.name,
                            "市全域",
                            "設置済み" if councils.tier1.is_established else "設置していない",
                            councils.tier1.established_on,
                            councils.tier1.note,
                        ]
                    ]
                    if councils.tier1
                    else []
                ),
                *(
                    ["第2層", c.name, c.area.name, "設置済み", c.established_on, c.note]
                    for c in councils.tier2
                ),
            ],
            caption="構成団体: " + "、".join(t.name for t in councils.member_types),
        ),
        Sheet(
            "設置までの経緯",
            ["項目", "内容", "出典"],
            [
                *_notes_rows(report, NoteTopic.COUNCIL_BACKGROUND),
                *(
                    [
                        line.figure.label,
                        line.figure.display_value + line.figure.unit,
                        line.figure.source,
                    ]
                    for line in report.figures[FigureCategory.MODEL_PROJECT]
                ),
                *(
                    ["モデル実施地区", f"{g.model_mark}{g.model_label}", ""]
                    for g in report.model_groups
                ),
                *(["手伝ってほしいこと", str(c), ""] for c in report.help_categories),
            ],
        ),
        Sheet(
            "スケジュール",
            ["時期", "内容", "項目", "備考"],
            [
                [
                    wareki.format_month(p.starts_in) + "～" if p.starts_in else "通年",
                    p.title,
                    "\n".join(p.topic_list()),
                    p.note,
                ]
                for p in report.phases
            ]
            or [[NOT_RECORDED, "", "", ""]],
            caption=f"{label}のスケジュール",
        ),
        Sheet(
            "第2層協議体の設置と開催",
            [
                "圏域",
                "設置日",
                *[f"第{n}回 {what}" for n in report.sequences for what in ("開催日", "状況")],
                "備考",
            ],
            [
                [
                    row.area.name,
                    _council_date(councils, row.area),
                    *[
                        value
                        for n in report.sequences
                        for value in (
                            row.held_on(n) or _month_text(row.planned_month(n)),
                            row.status(n),
                        )
                    ],
                    _council_note(councils, row.area),
                ]
                for row in report.schedule
            ],
            caption="開催日が空欄で状況が「予定」の回は、予定の月を表示",
        ),
        Sheet(
            "第3層協議体活動状況",
            ["地区", "圏域", "実施(予定)サービス", "登録サポーター数", "時点", "出典"],
            [
                *(
                    [
                        line.group.district_label,
                        line.group.council.area.name,
                        "、".join(s.name for s in line.services),
                        line.count,
                        line.count_as_of,
                        line.count_source,
                    ]
                    for line in report.groups
                ),
                ["合計(団体別の報告値)", "", "", report.groups_total, report.counts_as_of, ""],
                *(
                    [
                        [
                            "事業の集計値",
                            "",
                            report.supporters.programme_figure.label,
                            report.supporters.programme_value,
                            None,
                            report.supporters.programme_figure.source,
                        ]
                    ]
                    if report.supporters.programme_figure
                    else []
                ),
            ],
            caption=f"{_date_text(report.counts_as_of) or '時点の記録なし'}現在",
        ),
        Sheet(
            "主な意見",
            ["意見", "会議"],
            [
                [o.text, str(o.meeting) if o.meeting_id else "協議体全体"]
                for o in report.main_opinions
            ]
            or [[NOT_RECORDED, ""]],
            caption=f"{label} 協議体において出された主な意見",
        ),
        Sheet(
            "今後の予定",
            ["今後の予定"],
            [[note.text] for note in report.plan_ahead] or [[NOT_RECORDED]],
        ),
        Sheet(
            "コーディネーター配置",
            ["番号", "配置場所", "分類", "圏域", "設置年月日"],
            [
                [c.number, c.placement, c.get_tier_display(), c.coverage_label, c.since]
                for c in report.coordinators.coordinators
            ],
        ),
        Sheet(
            "コーディネーターの活動",
            ["項目", "内容", "出典"],
            [
                *_notes_rows(
                    report,
                    NoteTopic.COORDINATOR_SETUP,
                    NoteTopic.COORDINATOR_BACKGROUND,
                    NoteTopic.COORDINATOR_ACTIVITY,
                    NoteTopic.COORDINATOR_EFFECT,
                ),
                [
                    "活動記録(件数)",
                    f"{label}の活動記録 {report.activity.total.count}件",
                    "このシステムの活動記録",
                ],
            ],
        ),
        Sheet(
            "効果と関連数値",
            FIGURE_HEADERS,
            list(_figure_rows(report.figures[FigureCategory.OUTCOME])),
        ),
        Sheet(
            "情報発信",
            ["項目", "内容", "出典"],
            _notes_rows(report, NoteTopic.PROFILE, NoteTopic.COMMUNITY_CARE, NoteTopic.PUBLISHING),
        ),
    ]
    return sheets


def _council_date(councils, area):
    for council in councils.tier2:
        if council.area_id == area.pk:
            return council.established_on
    return None


def _council_note(councils, area):
    for council in councils.tier2:
        if council.area_id == area.pk:
            return council.note
    return ""


def survey_sheets(answer: SurveyAnswer) -> list[Sheet]:
    activity = answer.activity
    return [
        Sheet(
            "協議体・コーディネーター",
            ["項目", "数", "単位", "備考"],
            [
                ["第1層と第2層の圏域", answer.same_areas, "", answer.same_areas_note],
                *([f.label, f.value, "", f.note] for f in answer.councils),
                *([f.label, f.value, f.unit, f.note] for f in answer.coordinators),
            ],
            caption=f"{answer.label}末(3月31日)現在",
        ),
        Sheet(
            "会議の開催",
            ["協議体", "開催", "予定", "中止"],
            [
                [m.tier_label, m.held.value, m.planned.value, m.cancelled.value]
                for m in answer.meetings
            ],
            caption=f"{answer.label}中の会議(回)",
        ),
        Sheet(
            "団体とサービスの創出",
            ["項目", "数", "備考", "内訳"],
            [
                [
                    answer.groups_created.figure.label,
                    answer.groups_created.figure.value,
                    answer.groups_created.figure.note,
                    "、".join(str(g) for g in answer.groups_created.records),
                ],
                [
                    answer.services_created.figure.label,
                    answer.services_created.figure.value,
                    answer.services_created.figure.note,
                    "、".join(f"{s.group} {s.name}" for s in answer.services_created.records),
                ],
            ],
        ),
        Sheet(
            "活動実績(種類別)",
            ["コーディネーター", *[label for _, label in activity.kinds], "計"],
            [
                *(
                    [str(row.coordinator), *[c.count for c in row.by_kind], row.total.count]
                    for row in activity.rows
                ),
                ["計", *[c.count for c in activity.kind_totals], activity.total.count],
            ],
            caption="活動記録の件数",
        ),
        Sheet(
            "活動実績(調査項目別)",
            ["コーディネーター", *[c.label for c in activity.categories]],
            [
                *(
                    [str(row.coordinator), *[c.count for c in row.by_category]]
                    for row in activity.rows
                ),
                ["計", *[c.count for c in activity.category_totals]],
            ],
            caption="活動記録のうち、その成果につながったものの件数(1件が複数の項目に数えられることがある)",
        ),
        Sheet(
            "今後の課題や提案",
            ["コーディネーター", "今後の課題や提案"],
            [
                [str(row.coordinator), row.note.issues_and_proposals if row.note else "未記入"]
                for row in activity.rows
            ],
        ),
        Sheet(
            "報告を求めている事項",
            ["事項", "数", "単位", "備考"],
            [[f.label, f.value, f.unit, f.note] for f in answer.requested],
        ),
    ]
