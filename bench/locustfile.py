"""Locust scenario for bench/load_test.py (run that, not this file directly).

Two kinds of users, signed in with session cookies the runner made: city staff reading the
status table, the schedule, group, area and council pages (and meeting pages when they
exist), and coordinators logging meetings of their councils through the meeting form and
importing a supporter list (upload with preview, then confirm).
All records are synthetic. Every 5xx is counted by page and written at the end.
"""

import json
import os
import random
import re
from collections import Counter
from datetime import date
from html.parser import HTMLParser

from locust import HttpUser, between, events, task

SETUP = json.loads(open(os.environ["LOAD_SETUP"], encoding="utf-8").read())  # noqa: SIM115
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "100000"))
STATUS_FILE = os.environ["LOAD_STATUS_FILE"]
URLS = SETUP["urls"]
TOKEN = re.compile(r'name="(csrfmiddlewaretoken|token)" value="([^"]+)"')

PLACEHOLDER = SETUP["placeholder"]

server_errors = Counter()
requests_done = 0
environment = None


@events.init.add_listener
def keep_environment(environment, **kwargs):
    globals()["environment"] = environment


@events.request.add_listener
def count(request_type, name, response_time, response_length, response=None, **kwargs):
    global requests_done
    requests_done += 1
    if response is not None and getattr(response, "status_code", 0) >= 500:
        server_errors[name] += 1
    if requests_done == MAX_REQUESTS and environment is not None and environment.runner:
        environment.runner.quit()  # the count bound; --run-time is the time bound


def url(name, pk):
    return URLS[name].replace(PLACEHOLDER, str(pk))


@events.test_stop.add_listener
def write_status(environment, **kwargs):
    with open(STATUS_FILE, "w", encoding="utf-8") as out:
        json.dump({"server_errors": dict(server_errors), "requests": requests_done}, out)


class FormFields(HTMLParser):
    """The values a browser would submit from a page's form: inputs (checked boxes only),
    textareas and each select's selected option (or its first)."""

    def __init__(self):
        super().__init__()
        self.values, self._select, self._first, self._textarea = {}, None, True, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self.values[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select, self._first = name, True
        elif tag == "option" and self._select:
            if self._first or "selected" in attrs:
                self.values[self._select] = attrs.get("value", "")
            self._first = False
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def form_fields(html):
    parser = FormFields()
    parser.feed(html)
    return parser.values


class SignedIn(HttpUser):
    abstract = True
    sessions = None  # a list of (session key, extra) per user of this kind
    handed_out = Counter()

    def on_start(self):
        kind = type(self).__name__
        number = SignedIn.handed_out[kind]
        SignedIn.handed_out[kind] += 1
        self.session_key, self.extra = self.sessions[number % len(self.sessions)]
        self.client.cookies.set("sessionid", self.session_key)

    def post_expecting_redirect(self, url, data, *, referer, name):
        """A form POST that succeeds with a redirect (Django's post/redirect/get)."""
        with self.client.post(
            url,
            data=data,
            headers={"Referer": self.host + referer},
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"no redirect ({response.status_code})")

    def page(self, name, url):
        with self.client.get(url, name=name, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")


class CityStaff(SignedIn):
    weight = 4
    wait_time = between(0.5, 2)
    sessions = [(key, None) for key in SETUP["staff_sessions"]]

    # At 100 times Iwaki's size (1,300 areas) staff look at their district, as the filter
    # offers; the whole-city table is timed on its own by load_test.py.
    @task(3)
    def status_table(self):
        district = random.choice(SETUP["district_ids"])
        self.page("status table (district)", URLS["status"] + f"?district={district}")

    @task(2)
    def schedule(self):
        district = random.choice(SETUP["district_ids"])
        self.page("schedule (district)", URLS["schedule"] + f"?district={district}")

    @task(2)
    def group_list(self):
        self.page("group list", URLS["groups"] + f"?page={random.randint(1, 5)}")

    @task(3)
    def group_page(self):
        self.page("group page", url("group", random.choice(SETUP["group_ids"])))

    @task(1)
    def area_page(self):
        self.page("area page", url("area", random.choice(SETUP["area_ids"])))

    @task(1)
    def council_page(self):
        pk = random.choice(SETUP["council_ids"])
        self.page("council page", url("council", pk))

    @task(2)
    def meeting_page(self):
        if "meeting" in URLS:
            pk = random.choice(SETUP["meeting_ids"])
            self.page("meeting page", url("meeting", pk))


class Coordinator(SignedIn):
    weight = 1
    wait_time = between(1, 3)
    sessions = [(c["session"], c) for c in SETUP["coordinators"]]

    @task(3)
    def group_page(self):
        pk = random.choice(self.extra["group_ids"])
        self.page("group page", url("group", pk))

    @task(2)
    def meeting_page(self):
        if "meeting" in URLS:
            pk = random.choice(SETUP["meeting_ids"])
            self.page("meeting page", url("meeting", pk))

    @task(1)
    def log_meeting(self):
        """Open the meeting form of one of their councils and record a held meeting."""
        council = random.choice(self.extra["council_ids"])
        url = f"{URLS['log_meeting']}?council={council}"
        form = self.client.get(url, name="meeting form")
        if form.status_code != 200:
            return
        data = form_fields(form.text)
        data.update(
            status="held",
            held_on=date.today().isoformat(),
            venue="合成公民館",
            summary="合成の負荷試験で記録した会議です。",
        )
        self.post_expecting_redirect(url, data, referer=url, name="meeting log (save)")

    @task(1)
    def import_supporters(self):
        form = self.client.get(URLS["import"], name="import form")
        tokens = dict(TOKEN.findall(form.text))
        if "csrfmiddlewaretoken" not in tokens:
            return
        n = random.randint(1, 10**9)
        rows = ["氏名,フリガナ,電話番号"] + [
            f"合成 負荷{n}-{i},ゴウセイ フカ,000-0000-{i:04d}" for i in range(20)
        ]
        with self.client.post(
            URLS["import"],
            data={
                "csrfmiddlewaretoken": tokens["csrfmiddlewaretoken"],
                "group": random.choice(self.extra["group_ids"]),
            },
            files={"file": ("合成名簿.csv", "\r\n".join(rows).encode("utf-8"), "text/csv")},
            headers={"Referer": self.host + URLS["import"]},
            name="import preview",
            catch_response=True,
        ) as preview:
            tokens = dict(TOKEN.findall(preview.text))
            if preview.status_code != 200 or "token" not in tokens:
                preview.failure(f"no preview ({preview.status_code})")
                return
        self.post_expecting_redirect(
            URLS["confirm"],
            {"csrfmiddlewaretoken": tokens["csrfmiddlewaretoken"], "token": tokens["token"]},
            referer=URLS["import"],
            name="import confirm",
        )
