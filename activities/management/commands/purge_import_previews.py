"""manage.py purge_import_previews: delete supporter-import previews past their 12 hours.

A preview (PendingImport) holds the previewed rows, personal data, until it is confirmed.
The next preview of anyone deletes expired ones too; this command is for cron, so that they
do not wait for it (docs/operations.md).
"""

from django.core.management.base import BaseCommand

from activities.models import PendingImport


class Command(BaseCommand):
    help = (
        "有効期限(12時間)を過ぎたサポーター名簿の取込の確認画面(確認待ちの取込)を削除します。"
        "cronで1時間ごとなどに実行します。"
    )

    def handle(self, *args, **options):
        deleted, _ = PendingImport.objects.stale().delete()
        if options["verbosity"] >= 1:
            self.stdout.write(f"期限切れの確認待ちの取込を{deleted}件削除しました。")
