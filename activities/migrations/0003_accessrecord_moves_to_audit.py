# The access record now belongs to the audit app (its migration 0001 takes over the table).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0002_supporter_imports"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AccessRecord")],
            database_operations=[],
        ),
    ]
