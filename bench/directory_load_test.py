#!/usr/bin/env python3
"""Load test of the public directory: 50 anonymous residents against gunicorn and PostgreSQL
with the synthetic city at N=100 (20,000 entries), on loopback only.

    createdb -h 127.0.0.1 -U postgres iwaki_synthetic
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/iwaki_synthetic .venv/bin/python manage.py migrate
    DATABASE_URL=... .venv/bin/python manage.py seed_synthetic --scale 100
    .venv/bin/pip install --require-hashes --no-deps -r requirements/bench.txt   # locust
    .venv/bin/python bench/directory_load_test.py --minutes 5

It reads the synthetic areas, help categories and published entries, runs `collectstatic`,
starts gunicorn (production settings, http on 127.0.0.1, as many workers as cores), runs
locust headless (bench/locustfile_directory.py) bounded by --minutes and --max-requests, and
prints and writes bench/out/directory-results.md: per page the requests, p50, p95, failures
and 5xx, and gunicorn's own time per request. The bar: the public search's p95 under 150 ms
at 50 concurrent users, no 5xx.
"""

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_test import OUT, PYTHON, ROOT, manage, server_times, wait_until_serving

SETUP_SCRIPT = """
import json
from councils.models import Area
from directory.models import Entry
from needs_survey.models import HelpCategory

areas = Area.objects.filter(name__startswith="合成")
if not areas.exists():
    raise SystemExit("No synthetic data: run manage.py seed_synthetic --scale 100 first.")
entries = Entry.objects.listed().filter(name__startswith="合成")
print(json.dumps({
    "area_ids": list(areas.values_list("pk", flat=True)),
    "category_numbers": list(HelpCategory.objects.values_list("number", flat=True)),
    "entry_ids": list(entries.order_by("?").values_list("pk", flat=True)[:2000]),
    "counts": {
        "areas": areas.count(),
        "entries": Entry.objects.filter(name__startswith="合成").count(),
        "listed": entries.count(),
    },
}))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/iwaki_synthetic"
        ),
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    if not args.port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    env = dict(
        os.environ,
        DATABASE_URL=args.database_url,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE="0",
        STATIC_ROOT=str(OUT / "static"),
        BIND=f"127.0.0.1:{args.port}",
        WEB_CONCURRENCY=str(args.workers),
        GUNICORN_MAX_REQUESTS="0",
    )
    for key in ("STATIC_MANIFEST", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(key, None)

    print("migrate, collectstatic and the synthetic ids …", flush=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    setup = manage(env, "shell", "-c", SETUP_SCRIPT, capture=True).stdout
    setup_file = OUT / "directory-setup.json"
    setup_file.write_text(setup.strip().splitlines()[-1], encoding="utf-8")
    counts = json.loads(setup_file.read_text(encoding="utf-8"))["counts"]
    print(f"data: {counts}", flush=True)

    access_log = OUT / "directory-access.log"
    access_log.unlink(missing_ok=True)
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "iwaki_support.wsgi",
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            "%(m)s %(U)s %(s)s %(D)s",
        ],
        cwd=ROOT,
        env=env,
        stderr=open(OUT / "directory-gunicorn.log", "w"),  # noqa: SIM115
    )
    status_file = OUT / "directory-status.json"
    try:
        wait_until_serving(server, args.port)
        started = time.monotonic()
        subprocess.run(
            [
                PYTHON,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench" / "locustfile_directory.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.users),
                "--run-time",
                f"{int(args.minutes * 60)}s",
                "--host",
                f"http://127.0.0.1:{args.port}",
                "--csv",
                str(OUT / "directory-locust"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=dict(
                env,
                LOAD_SETUP=str(setup_file),
                LOAD_MAX_REQUESTS=str(args.max_requests),
                LOAD_STATUS_FILE=str(status_file),
            ),
            check=False,
            timeout=args.minutes * 60 + 300,
        )
        elapsed = time.monotonic() - started
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)

    report = results(args, counts, elapsed, status_file, access_log)
    (OUT / "directory-results.md").write_text(report, encoding="utf-8")
    print(report)


def results(args, counts, elapsed, status_file, access_log):
    import csv

    status = json.loads(status_file.read_text()) if status_file.exists() else {}
    errors = status.get("server_errors", {})
    lines = [
        f"{args.users} users, {elapsed / 60:.1f} minutes, {args.workers} gunicorn workers, "
        f"data: {counts['areas']} areas, {counts['entries']} entries ({counts['listed']} listed)",
        "",
        "| page | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | failures | 5xx |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    with open(OUT / "directory-locust_stats.csv", encoding="utf-8") as stats:
        for row in csv.DictReader(stats):
            name = row["Name"]
            label = "**all pages**" if name == "Aggregated" else name
            fivexx = sum(errors.values()) if name == "Aggregated" else errors.get(name, 0)
            lines.append(
                f"| {label} | {row['Request Count']} | {float(row['Requests/s']):.1f} | "
                f"{row['50%']} | {row['95%']} | {row['99%']} | "
                f"{float(row['Max Response Time']):.0f} | {row['Failure Count']} | {fivexx} |"
            )
    lines += ["", "Server-side time (gunicorn's access log, during the run)", ""]
    lines += server_times(access_log)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
