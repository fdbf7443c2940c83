"""Small makers for needs-survey tests."""

import pytest

from councils.models import Council, Tier
from needs_survey.models import HelpCategory, Survey, SurveyResult


@pytest.fixture
def make_survey(data_2017):
    """make_survey("平", 2017, {3: (5, "can"), 7: (2, "difficult")}) -> an area survey.

    Keys are category numbers (①=1); values are (count, classification) or
    (count, classification, note).
    """

    def make(area_name, fiscal_year, results=None, **fields):
        council = Council.objects.get(tier=Tier.SECOND, area__name=area_name)
        survey = Survey.objects.create(council=council, fiscal_year=fiscal_year, **fields)
        categories = {c.number: c for c in HelpCategory.objects.all()}
        SurveyResult.objects.bulk_create(
            SurveyResult(
                survey=survey,
                category=categories[number],
                requests=value[0],
                classification=value[1],
                note=value[2] if len(value) > 2 else "",
            )
            for number, value in (results or {}).items()
        )
        return survey

    return make
