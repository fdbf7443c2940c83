"""Locust scenario for bench/directory_load_test.py (run that, not this file directly).

Anonymous residents on the public directory, as a phone would use it: mostly the search by
area and help category (the page the bar is about), then the area page, an entry's page and
the category page (choose your area). No cookies, no sign-in; every record is synthetic.
Locust does not cache, so every request reaches the server even though the pages say
``Cache-Control: public``. Every 5xx is counted by page and written at the end.
"""

import json
import os
import random
from collections import Counter

from locust import HttpUser, between, events, task

SETUP = json.loads(open(os.environ["LOAD_SETUP"], encoding="utf-8").read())  # noqa: SIM115
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "100000"))
STATUS_FILE = os.environ["LOAD_STATUS_FILE"]

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


@events.test_stop.add_listener
def write_status(environment, **kwargs):
    with open(STATUS_FILE, "w", encoding="utf-8") as out:
        json.dump({"server_errors": dict(server_errors), "requests": requests_done}, out)


class Resident(HttpUser):
    wait_time = between(1, 3)

    def check(self, response, needle):
        if response.status_code != 200 or needle not in response.text:
            response.failure(f"{response.status_code}: no {needle!r}")

    @task(6)
    def search(self):
        area = random.choice(SETUP["area_ids"])
        number = random.choice(SETUP["category_numbers"])
        with self.client.get(
            f"/sasaeai/search/?area={area}&category={number}",
            name="public search (area × help)",
            catch_response=True,
        ) as response:
            self.check(response, "を手伝う活動")

    @task(2)
    def area(self):
        with self.client.get(
            f"/sasaeai/areas/{random.choice(SETUP['area_ids'])}/",
            name="public area page",
            catch_response=True,
        ) as response:
            self.check(response, "の相談窓口")

    @task(2)
    def entry(self):
        with self.client.get(
            f"/sasaeai/entries/{random.choice(SETUP['entry_ids'])}/",
            name="public entry page",
            catch_response=True,
        ) as response:
            self.check(response, "最終確認日")

    @task(1)
    def category(self):
        with self.client.get(
            f"/sasaeai/help/{random.choice(SETUP['category_numbers'])}/",
            name="public category page (all areas)",
            catch_response=True,
        ) as response:
            self.check(response, "お住まいの地域を選んでください")
