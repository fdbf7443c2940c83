"""The sample surveys are labelled as samples and kept apart from the 2017 data."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from needs_survey.models import Survey, SurveyResult

DEMO = Path("fixtures/demo/needs_survey_sample.json")


def test_every_text_of_the_sample_says_it_is_a_sample():
    records = json.loads(DEMO.read_text(encoding="utf-8"))
    notes = [r["fields"]["note"] for r in records]
    assert notes and all("サンプル" in note for note in notes)


def test_no_2017_fixture_holds_a_survey():
    for path in Path("fixtures/2017").glob("*.json"):
        models = {r["model"] for r in json.loads(path.read_text(encoding="utf-8"))}
        assert not models & {"needs_survey.survey", "needs_survey.surveyresult"}


@pytest.mark.django_db
def test_the_sample_loads_on_the_2017_data_and_reloads_without_duplicates(data_2017):
    call_command("loaddata", str(DEMO), verbosity=0)
    call_command("loaddata", str(DEMO), verbosity=0)
    assert Survey.objects.count() == 10
    assert SurveyResult.objects.count() == 130
