from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, restore, vendor


class Command(BaseCommand):
    help = (
        "Replace the whole database with the backup at PATH (written by manage.py backup). "
        "Stop the app servers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a file written by manage.py backup")
        parser.add_argument(
            "--database", default="default", help="database alias (default: default)"
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )

    def handle(self, path, database, interactive, **options):
        if interactive:
            answer = input(
                f"This replaces every record in the {vendor(database)} database with {path}.\n"
                "Type 'yes' to continue: "
            )
            if answer != "yes":
                raise CommandError("Restore cancelled.")
        try:
            restore(path, alias=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Restored the {vendor(database)} database from {path}")
        )
