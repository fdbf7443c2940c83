"""Minutes status becomes unknown unless someone set it; opinions and follow-ups get a version.

Until now every meeting got 「下書き」 by default and the form offered it preselected, so a stored
"draft" cannot be told from one nobody chose: the 2017 meetings (the report says nothing of
minutes) and every later one. Each becomes unknown (blank, shown as 「—」), in the history too,
so that the next change does not show a 「下書き」→「(空欄)」 nobody made. 「確定」 was always
chosen by someone and stays.
"""

from django.db import migrations, models


def draft_becomes_unknown(apps, schema_editor):
    for name in ("Meeting", "HistoricalMeeting"):
        apps.get_model("councils", name).objects.filter(minutes_status="draft").update(
            minutes_status=""
        )


def unknown_becomes_draft(apps, schema_editor):
    """Backwards: the old schema has no unknown, and 「下書き」 was its default."""
    for name in ("Meeting", "HistoricalMeeting"):
        apps.get_model("councils", name).objects.filter(minutes_status="").update(
            minutes_status="draft"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('councils', '0005_text_limits'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='meeting',
            name='councils_meeting_minutes_status_valid',
        ),
        migrations.AddField(
            model_name='followup',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False, help_text='同時編集による上書きを防ぐための版数', verbose_name='版'),
        ),
        migrations.AddField(
            model_name='opinion',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False, help_text='同時編集による上書きを防ぐための版数', verbose_name='版'),
        ),
        migrations.AlterField(
            model_name='historicalmeeting',
            name='minutes_status',
            field=models.CharField(blank=True, choices=[('draft', '下書き'), ('confirmed', '確定')], default='', help_text='記録していなければ空欄(不明)', max_length=10, verbose_name='議事録'),
        ),
        migrations.AlterField(
            model_name='meeting',
            name='minutes_status',
            field=models.CharField(blank=True, choices=[('draft', '下書き'), ('confirmed', '確定')], default='', help_text='記録していなければ空欄(不明)', max_length=10, verbose_name='議事録'),
        ),
        migrations.RunPython(draft_becomes_unknown, unknown_becomes_draft),
        migrations.AddConstraint(
            model_name='meeting',
            constraint=models.CheckConstraint(condition=models.Q(('minutes_status__in', ['', 'draft', 'confirmed'])), name='councils_meeting_minutes_status_valid'),
        ),
    ]
