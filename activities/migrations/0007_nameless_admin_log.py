# The admin's log named supporters by name in its "recent actions"; it names them by number now
# (activities.admin.nameless_log_entries). Entries written before are renamed the same way.

from django.db import migrations


def rename_entries(apps, schema_editor):
    LogEntry = apps.get_model("admin", "LogEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    supporter = ContentType.objects.filter(app_label="activities", model="supporter").first()
    if supporter is None:
        return
    for entry in LogEntry.objects.filter(content_type=supporter).only("pk", "object_id"):
        LogEntry.objects.filter(pk=entry.pk).update(object_repr=f"サポーター #{entry.object_id}")


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0006_text_limits"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(rename_entries, migrations.RunPython.noop)]
