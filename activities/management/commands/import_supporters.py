"""manage.py import_supporters PATH [--group NAME] [--dry-run] [--encoding ENC] [--sheet NAME]
[--blank-clears] [--end-missing]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from activities.imports import Action
from activities.models import ImportSource, SupportGroup
from activities.services import import_file
from core.spreadsheets import normalise_header


class Command(BaseCommand):
    help = (
        "サポーター名簿（xlsx / CSV）を取り込みます。エラーが1件でもあれば何も書き込まず、"
        "すべてのエラーを表示して終了コード1で終わります。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="取り込むファイル (.xlsx / .csv)")
        parser.add_argument("--group", help="ファイルに団体の列がないときの団体（団体名か地区名）")
        parser.add_argument("--dry-run", action="store_true", help="書き込まずに結果だけを表示する")
        parser.add_argument("--encoding", help="CSVの文字コード (utf-8 / cp932)。省略時は自動判別")
        parser.add_argument("--sheet", help="読むシートの名前。省略時は最初のシート")
        parser.add_argument(
            "--blank-clears",
            action="store_true",
            help="空欄のセルで登録内容を消す（省略時は空欄のセルは登録内容を残す）",
        )
        parser.add_argument(
            "--end-missing",
            action="store_true",
            help="ファイルの団体のサポーターでファイルにない人の登録を終了する",
        )

    def handle(
        self,
        *args,
        path,
        group=None,
        dry_run=False,
        encoding=None,
        sheet=None,
        blank_clears=False,
        end_missing=False,
        **options,
    ):
        file = Path(path)
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"ファイルを読めません: {path} ({error.strerror})") from error
        default_group = self.group(group) if group else None
        result, record = import_file(
            data,
            filename=file.name,
            user=None,
            source=ImportSource.COMMAND,
            default_group=default_group,
            encoding=encoding,
            sheet=sheet,
            dry_run=dry_run,
            blank_clears=blank_clears,
            end_missing=end_missing,
        )
        for notice in result.notices:
            self.stdout.write(notice)
        for warning in result.warnings:
            self.stdout.write(f"注意: {warning}")
        for entry in result.entries:
            for change in entry.changes:
                if change.emptied:
                    self.stdout.write(f"{entry.number}行目「{change.label}」: 空欄になります。")
            if entry.ends:
                self.stdout.write(f"{entry.number}行目: 登録を終了します。")
        if result.missing:
            self.stdout.write(f"ファイルにないため登録を終了する人: {len(result.missing)}人")
        for entry in result.entries:
            if entry.notice:
                self.stdout.write(f"{entry.number}行目: {entry.notice}")
        counts = result.counts
        summary = "、".join(
            [
                *(
                    f"{Action.LABELS[a]} {counts[a]}件"
                    for a in (
                        Action.NEW,
                        Action.UPDATE,
                        Action.UNCHANGED,
                        Action.DUPLICATE,
                        Action.ERROR,
                    )
                ),
                f"登録終了 {result.ended_count}件",
                f"空欄になる値 {result.emptied_count}件",
            ]
        )
        if not result.ok:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(f"エラーがあるため何も取り込んでいません（{summary}）。")
        if dry_run:
            self.stdout.write(f"確認のみ（書き込んでいません）: {summary}")
        else:
            self.stdout.write(self.style.SUCCESS(f"取り込みました（記録 #{record.pk}）: {summary}"))

    def group(self, name):
        wanted = normalise_header(name)
        for group in SupportGroup.objects.select_related("council__area"):
            keys = {group.name, group.district_label, group.model_label}
            if wanted in {normalise_header(k) for k in keys if k}:
                return group
        raise CommandError(f"団体「{name}」が見つかりません。")
