#!/usr/bin/env python3
"""Load test: gunicorn + PostgreSQL with synthetic data, 20 users, on loopback only.

    createdb -h 127.0.0.1 -U postgres iwaki_synthetic
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/iwaki_synthetic .venv/bin/python manage.py migrate
    DATABASE_URL=... .venv/bin/python manage.py seed_synthetic --scale 100
    .venv/bin/pip install -e '.[bench]'        # locust
    .venv/bin/python bench/load_test.py --minutes 10

It signs in a city-staff user and a coordinator of the synthetic data (session cookies made
directly in the database, so the login page's lockout is not in the way), runs
`collectstatic`, starts gunicorn (production settings, http on 127.0.0.1, worker recycling off
so that a leak would show), samples the workers' memory every 5 s, and runs locust headless
(bench/locustfile.py), bounded by --minutes and --max-requests. It prints and writes
bench/out/results.md: per page the requests, throughput, p50, p95, failures and 5xx, then
the memory over time. The bar: p95 under 300 ms on every page, no 5xx, memory flat.
"""

import argparse
import csv
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable
PLACEHOLDER = "987654321"

SETUP_SCRIPT = """
import json
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import NoReverseMatch, reverse
from activities.models import SupportGroup
from coordinators.models import Coordinator
from councils.models import Area, Council, District, Meeting
from accounts.roles import CITY_STAFF_GROUP
from core.wareki import fiscal_year_of
from django.utils import timezone

if not Area.objects.filter(name__startswith="合成").exists():
    raise SystemExit("No synthetic data: run manage.py seed_synthetic --scale 100 first.")
P = int("{placeholder}")
staff, _ = User.objects.get_or_create(username="load-staff")
staff.groups.add(Group.objects.get_or_create(name=CITY_STAFF_GROUP)[0])
# One login per importing user: a new preview discards the same user's earlier one.
coordinators = []
for i in range(1, {importers} + 1):
    user, _ = User.objects.get_or_create(username=f"load-coordinator{{i}}")
    coordinator = Coordinator.objects.get(placement=f"合成地区協議会{{i:04d}}")
    coordinator.user = user
    coordinator.save(update_fields=["user"])
    coordinators.append(coordinator)

def session(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value

def ids(queryset, n=300):
    return list(queryset.order_by("?").values_list("pk", flat=True)[:n])

urls = {{
    "status": reverse("status"),
    "schedule": reverse("councils:schedule", args=[fiscal_year_of(timezone.localdate())]),
    "groups": reverse("activities:supportgroup-list"),
    "group": reverse("activities:supportgroup-detail", args=[P]),
    "area": reverse("councils:area-detail", args=[P]),
    "council": reverse("councils:council-detail", args=[P]),
    "import": reverse("activities:supporterimport-create"),
    "confirm": reverse("activities:supporterimport-confirm"),
    "log_meeting": reverse("councils:meeting-create"),
}}
try:
    urls["meeting"] = reverse("councils:meeting-detail", args=[P])
except NoReverseMatch:
    pass
synthetic_groups = SupportGroup.objects.filter(name__startswith="合成")
print(json.dumps({{
    "placeholder": str(P),
    "urls": urls,
    "staff_sessions": [session(staff) for _ in range({users})],
    "coordinators": [
        {{
            "session": session(c.user),
            "group_ids": ids(synthetic_groups.filter(council__area__in=c.covered_areas())),
            "council_ids": ids(Council.objects.filter(area__in=c.covered_areas())),
        }}
        for c in coordinators
    ],
    "group_ids": ids(synthetic_groups),
    "area_ids": ids(Area.objects.filter(name__startswith="合成")),
    "district_ids": ids(District.objects.filter(name__startswith="合成")),
    "council_ids": ids(Council.objects.filter(name__startswith="合成", tier=2)),
    "meeting_ids": ids(Meeting.objects.filter(council__name__startswith="合成")),
    "counts": {{
        "areas": Area.objects.filter(name__startswith="合成").count(),
        "groups": synthetic_groups.count(),
        "meetings": Meeting.objects.count(),
    }},
}}, ensure_ascii=False))
"""


def manage(env, *args, capture=False):
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=capture,
    )


def children(pid):
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def rss_mib(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def sample_memory(master, samples, stop, every=5.0):
    started = time.monotonic()
    while not stop.wait(every):
        workers = children(master)
        samples.append(
            (
                round(time.monotonic() - started),
                round(rss_mib(master), 1),
                [round(rss_mib(worker), 1) for worker in workers],
            )
        )


def wait_until_serving(server, port):
    for _ in range(100):
        if server.poll() is not None:
            sys.exit(f"gunicorn exited; see {OUT / 'gunicorn.log'}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            time.sleep(1)  # let every worker boot
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"gunicorn did not start; see {OUT / 'gunicorn.log'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/iwaki_synthetic"
        ),
    )
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--max-requests", type=int, default=200_000)
    # As many workers as cores: locust and PostgreSQL run on the same cores, and more sync
    # workers than cores only time-slice the CPU (4 workers on 2 cores: higher p95).
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
        SECURE="0",  # plain http on loopback; TLS is the proxy's job
        STATIC_ROOT=str(OUT / "static"),
        BIND=f"127.0.0.1:{args.port}",
        WEB_CONCURRENCY=str(args.workers),
        GUNICORN_MAX_REQUESTS="0",  # no recycling: a leak must show in the memory samples
    )
    for key in ("STATIC_MANIFEST", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(key, None)

    print("migrate, collectstatic and sign-in sessions …", flush=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    setup = manage(
        env,
        "shell",
        "-c",
        SETUP_SCRIPT.format(placeholder=PLACEHOLDER, users=args.users, importers=args.users),
        capture=True,
    ).stdout
    setup_file = OUT / "setup.json"
    setup_file.write_text(setup.strip().splitlines()[-1], encoding="utf-8")
    counts = json.loads(setup_file.read_text(encoding="utf-8"))["counts"]
    print(f"data: {counts}", flush=True)

    (OUT / "access.log").unlink(missing_ok=True)
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "iwaki_support.wsgi",
            # Server-side time per request (µs), to tell the app's time from the load
            # generator's: paths only, and the synthetic data holds no personal data.
            "--access-logfile",
            str(OUT / "access.log"),
            "--access-logformat",
            "%(m)s %(U)s %(s)s %(D)s",
        ],
        cwd=ROOT,
        env=env,
        stderr=open(OUT / "gunicorn.log", "w"),  # noqa: SIM115
    )
    samples, stop = [], threading.Event()
    try:
        wait_until_serving(server, args.port)
        whole_city = time_whole_city_pages(args.port, json.loads(setup_file.read_text()))
        sampler = threading.Thread(target=sample_memory, args=(server.pid, samples, stop))
        sampler.start()
        status_file = OUT / "status.json"
        started = time.monotonic()
        subprocess.run(
            [
                PYTHON,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
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
                str(OUT / "locust"),
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
        )
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)

    report = results(args, counts, elapsed, samples, status_file, whole_city)
    (OUT / "results.md").write_text(report, encoding="utf-8")
    print(report)


def time_whole_city_pages(port, setup):
    """One request each, unloaded, to the pages that list every area of the city at once."""
    timings = []
    for label, path in (
        ("status table, all areas", setup["urls"]["status"]),
        ("schedule, all areas", setup["urls"]["schedule"]),
        ("group list, page 1", setup["urls"]["groups"]),
    ):
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}",
            headers={"Cookie": f"sessionid={setup['staff_sessions'][0]}"},
        )
        started = time.monotonic()
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - loopback
            size = len(response.read())
            status = response.status
        timings.append((label, status, (time.monotonic() - started) * 1000, size))
    return timings


def server_times(access_log):
    """p50 and p95 of the time gunicorn spent per request, by method and path pattern (ids
    as N): the app's own share of what locust measured, queueing in gunicorn included."""
    times = {}
    for line in access_log.read_text(encoding="utf-8").splitlines():
        method, path, _status, micros = line.split()
        key = f"{method} {re.sub(r'[0-9]+', 'N', path)}"
        times.setdefault(key, []).append(int(micros) / 1000)
    rows = ["| request | count | p50 ms | p95 ms |", "| --- | ---: | ---: | ---: |"]
    for key, values in sorted(times.items(), key=lambda item: -len(item[1])):
        values.sort()
        p50, p95 = values[len(values) // 2], values[min(len(values) - 1, len(values) * 95 // 100)]
        rows.append(f"| {key} | {len(values)} | {p50:.0f} | {p95:.0f} |")
    return rows


def results(args, counts, elapsed, samples, status_file, whole_city):
    status = json.loads(status_file.read_text()) if status_file.exists() else {}
    errors = status.get("server_errors", {})
    lines = [
        f"{args.users} users, {elapsed / 60:.1f} minutes, {args.workers} gunicorn workers, "
        f"data: {counts['areas']} areas, {counts['groups']} groups, {counts['meetings']} meetings",
        "",
        "| page | requests | req/s | p50 ms | p95 ms | max ms | failures | 5xx |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    with open(OUT / "locust_stats.csv", encoding="utf-8") as stats:
        for row in csv.DictReader(stats):
            name = row["Name"]
            label = "**all pages**" if name == "Aggregated" else name
            fivexx = sum(errors.values()) if name == "Aggregated" else errors.get(name, 0)
            lines.append(
                f"| {label} | {row['Request Count']} | {float(row['Requests/s']):.1f} | "
                f"{row['50%']} | {row['95%']} | {float(row['Max Response Time']):.0f} | "
                f"{row['Failure Count']} | {fivexx} |"
            )
    lines += ["", "Server-side time (gunicorn's access log, during the run)", ""]
    lines += server_times(OUT / "access.log")
    lines += ["", "Unloaded single requests to the whole-city pages", ""]
    lines += ["| page | status | ms | KiB |", "| --- | ---: | ---: | ---: |"]
    for label, status, ms, size in whole_city:
        lines.append(f"| {label} | {status} | {ms:.0f} | {size // 1024} |")
    lines += ["", "Memory (RSS, MiB) every minute: master + each worker", ""]
    lines += ["| second | master | workers | total |", "| ---: | ---: | --- | ---: |"]
    for second, master, workers in samples[:: max(1, 60 // 5)] + samples[-1:]:
        total = master + sum(workers)
        lines.append(f"| {second} | {master} | {' / '.join(map(str, workers))} | {total:.0f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
