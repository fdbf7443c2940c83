"""The migrations that gave key figures and the report's prose their year, and opinions their
主な意見 mark, on a database that already holds the 2017 data (as a running site does)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.conftest import load_2017

BEFORE = [
    ("councils", "0003_meeting_fiscal_year_index"),
    ("activities", "0003_accessrecord_moves_to_audit"),
]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_existing_2017_rows_get_their_year_and_the_four_main_opinions_their_mark():
    load_2017()
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    old_figure = old.get_model("activities", "KeyFigure")
    # A value typed into the admin after 2017, before this migration existed.
    old_figure.objects.filter(key="population").update(
        value=330000, as_of="2019-10-01", as_of_text="R1.10.1現在"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(latest)
    new = executor.loader.project_state(latest).apps
    figure = new.get_model("activities", "KeyFigure")
    note = new.get_model("activities", "ProgrammeNote")
    opinion = new.get_model("councils", "Opinion")

    assert figure.objects.get(key="population").report_year == 2019
    assert set(figure.objects.exclude(key="population").values_list("report_year", flat=True)) == {
        2017
    }
    assert set(note.objects.values_list("report_year", flat=True)) == {2017}
    assert opinion.objects.filter(is_main=True).count() == 4
    assert not opinion.objects.filter(is_main=True).exclude(fiscal_year=2017).exists()
