"""Tables of the needs survey."""

import django_tables2 as tables
from django.utils.html import format_html

from core.wareki import format_date, format_fiscal_year
from needs_survey.models import Survey


class SurveyTable(tables.Table):
    caption = "ニーズ調査の一覧"  # the <caption> (templates/django_tables2/table.html)

    fiscal_year = tables.Column("年度")
    area = tables.Column("圏域", accessor="council__area__name", order_by="council__area__position")
    council = tables.Column("調査した協議体", order_by=("council__tier", "council__name"))
    conducted_from = tables.Column("実施日", empty_values=())
    respondents = tables.Column("回答者数", attrs={"td": {"class": "num"}})
    classified = tables.Column("分類済み項目", attrs={"td": {"class": "num"}})

    class Meta:
        model = Survey
        fields = ["fiscal_year", "area", "council", "conducted_from", "respondents", "classified"]
        template_name = "django_tables2/table.html"
        attrs = {"class": "survey-list"}
        empty_text = "ニーズ調査はまだ登録されていません。"

    def render_fiscal_year(self, value):
        return format_fiscal_year(value)

    def render_council(self, record, value):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), value)

    def render_conducted_from(self, record):
        if not record.conducted_from:
            return "—"
        text = format_date(record.conducted_from)
        if record.conducted_until:
            text += f"〜{format_date(record.conducted_until)}"
        return text

    def render_classified(self, value):
        return f"{value}項目"


def matrix_sheet(matrix):
    """The matrix as a spreadsheet: one row per area, for each category its count (a number)
    and its classification (text), so that sorting and sums work in Excel."""
    headers = ["年度", "地区", "圏域", "調査", "回答者数"]
    for category in matrix.categories:
        headers += [f"{category} 希望者数", f"{category} 分類"]
    headers.append("希望者数 計")
    rows = []
    for row in matrix.rows:
        line = [
            format_fiscal_year(matrix.fiscal_year),
            row.area.district.name,
            row.area.name,
            "実施" if row.survey else "未実施",
            row.survey.respondents if row.survey else None,
        ]
        for cell in row.cells:
            line += [cell.requests, cell.classification_label]
        line.append(row.total_requests if row.survey else None)
        rows.append(line)
    return headers, rows
