from django.db import migrations, models

KEY_FIGURE_HELP = "この値を載せる報告書の年度 (平成29年度は2017)。時点は下の「時点」欄"
NOTE_HELP = "この記述を載せる報告書の年度 (平成29年度は2017)"


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0004_report_year"),
    ]

    operations = [
        migrations.AlterField(
            model_name=model_name,
            name="report_year",
            field=models.PositiveSmallIntegerField(help_text=help_text, verbose_name="記録の年度"),
        )
        for model_name, help_text in [
            ("keyfigure", KEY_FIGURE_HELP),
            ("historicalkeyfigure", KEY_FIGURE_HELP),
            ("programmenote", NOTE_HELP),
            ("historicalprogrammenote", NOTE_HELP),
        ]
    ]
