import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from synthetic import seed as synthetic


class Command(BaseCommand):
    help = (
        "Fill a separate database with clearly synthetic records at N times Iwaki's size "
        "(合成 太郎0001, 合成圏域0001), for load tests. Point DATABASE_URL at another database; "
        "refuses a database holding real or 2017 data unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="N times Iwaki's size (default 1)")
        parser.add_argument("--years", type=int, default=20, help="fiscal years of meetings (20)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="add synthetic records even beside real or 2017 data (never in production)",
        )

    def handle(self, scale, years, force, **options):
        if scale < 1 or years < 1:
            raise CommandError("--scale and --years must be 1 or more.")
        if synthetic.holds_real_data() and not force:
            raise CommandError(
                f"The database {connection.settings_dict['NAME']} holds real or 2017 records. "
                "Seed a separate database instead, e.g. "
                "DATABASE_URL=postgres://postgres@127.0.0.1:5432/iwaki_synthetic "
                "(after createdb and migrate), or pass --force."
            )
        if synthetic.holds_synthetic_data():
            raise CommandError("The database already holds synthetic records; use a fresh one.")
        started = time.monotonic()
        counts = synthetic.seed(scale, years=years)
        # Fresh statistics for the planner: until autovacuum gets to the new rows, PostgreSQL
        # would plan as if the tables were empty (a load test started at once saw 140 ms
        # queries that take 5 ms once analysed). SQLite's ANALYZE does the same for its planner.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{count} {kind}" for kind, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Seeded ×{scale} in {elapsed:.1f}s: {summary}"))
