"""The matrix as a spreadsheet: typed counts, classification text, every area."""

import pytest

from needs_survey.models import Survey
from needs_survey.tables import matrix_sheet

pytestmark = pytest.mark.django_db


def test_sheet_has_a_count_and_a_class_column_per_category(make_survey):
    make_survey("平", 2017, {1: (12, "can"), 13: (None, "difficult")}, respondents=120)
    headers, rows = matrix_sheet(Survey.objects.matrix(2017))
    assert headers[:5] == ["年度", "地区", "圏域", "調査", "回答者数"]
    assert headers[5:7] == ["①声かけ 希望者数", "①声かけ 分類"]
    assert headers[-1] == "希望者数 計"
    assert len(headers) == 5 + 2 * 13 + 1
    assert len(rows) == 13
    taira = rows[0]
    assert taira[:5] == ["平成29年度", "平", "平", "実施", 120]
    assert taira[5:7] == [12, "できる"]
    assert taira[-3:] == [None, "難しい", 12]
    kawamae = rows[-1]
    assert kawamae[2:4] == ["川前", "未実施"]
    assert set(kawamae[4:]) == {None, ""}
