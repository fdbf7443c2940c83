# The access record moves here from activities: the table is renamed, no row changes.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("activities", "0002_supporter_imports"),
        ("councils", "0003_meeting_fiscal_year_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The table exists (activities made it); only Django's picture of it moves.
            state_operations=[
                migrations.CreateModel(
                    name="AccessRecord",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="日時")),
                        ("action", models.CharField(choices=[("view", "閲覧"), ("export", "出力"), ("import", "取込")], max_length=10, verbose_name="操作")),
                        ("what", models.CharField(max_length=200, verbose_name="対象")),
                        ("rows", models.PositiveIntegerField(default=0, verbose_name="件数")),
                        ("address", models.GenericIPAddressField(blank=True, null=True, verbose_name="接続元")),
                        ("area", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="councils.area", verbose_name="圏域")),
                        ("group", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="activities.supportgroup", verbose_name="団体")),
                        ("user", models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="利用者")),
                    ],
                    options={
                        "verbose_name": "個人情報の利用記録",
                        "verbose_name_plural": "個人情報の利用記録",
                        "ordering": ["-at"],
                        "db_table": "activities_accessrecord",
                        "constraints": [
                            models.CheckConstraint(condition=models.Q(("action__in", ["view", "export", "import"])), name="activities_accessrecord_action_valid"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="accessrecord", table=None),
        migrations.RemoveConstraint(model_name="accessrecord", name="activities_accessrecord_action_valid"),
        migrations.AddConstraint(
            model_name="accessrecord",
            constraint=models.CheckConstraint(condition=models.Q(("action__in", ["view", "export", "import"])), name="audit_accessrecord_action_valid"),
        ),
    ]
