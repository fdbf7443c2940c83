from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, backup, vendor


class Command(BaseCommand):
    help = (
        "Write a backup of the whole database to PATH: pg_dump's custom format on PostgreSQL, "
        "an SQLite database file (online backup API) on SQLite."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", help="the backup file to write, e.g. /srv/backup/iwaki-20250401.dump"
        )
        parser.add_argument(
            "--database", default="default", help="database alias (default: default)"
        )

    def handle(self, path, database, **options):
        try:
            backup(path, alias=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Backed up the {vendor(database)} database to {path}")
        )
