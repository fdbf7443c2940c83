"""The supporter import writes three tables with SQL of its own (activities/services.py; why:
docs/decisions/0006-raw-sql-in-the-supporter-import.md). These tests fail when a table it
writes changes shape, so that nobody upgrades django-simple-history or adds a field to
Supporter without looking at that SQL again."""

from activities.models import Supporter
from activities.services import _INSERTED, _NEW_DEFAULTS

# The columns simple-history adds to a copy of the model's own columns. The history INSERT
# writes the model's columns and these four; history_id is the table's own key.
HISTORY_COLUMNS = {
    "history_id",
    "history_date",
    "history_type",
    "history_user_id",
    "history_change_reason",
}


def test_the_history_table_is_the_supporter_columns_plus_the_four_written():
    history = Supporter.history.model
    supporter_columns = {f.column for f in Supporter._meta.concrete_fields}
    history_columns = {f.column for f in history._meta.concrete_fields}
    assert history_columns == supporter_columns | HISTORY_COLUMNS


def test_a_new_supporter_row_names_every_column_without_a_database_default():
    # Every column of the table except the key is inserted: a new NOT NULL column would make
    # the executemany fail at run time, so it has to be added to _INSERTED and _NEW_DEFAULTS.
    columns = {f.column for f in Supporter._meta.concrete_fields if not f.primary_key}
    assert set(_INSERTED) == columns
    assert set(_NEW_DEFAULTS) | {"group_id", "name", "name_key"} == columns


def test_the_help_category_link_table_has_the_two_columns_written():
    through = Supporter.help_categories.through
    assert {f.column for f in through._meta.concrete_fields} == {
        "id",
        "supporter_id",
        "helpcategory_id",
    }
