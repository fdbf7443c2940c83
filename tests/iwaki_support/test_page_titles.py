"""Every page's <title> is its name and the site's: no markup, no history, one short line
(what a browser tab, a bookmark and a screen reader announce first)."""

import re

import pytest

from councils.models import Council
from tests.test_permission_matrix import MATRIX, Objects

pytestmark = pytest.mark.django_db

TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)
SITE = "いわき市 生活支援体制整備事業"
# The public directory is its own site for residents, with its own name.
PUBLIC_SITE = "いわき市 地域の支え合い情報"


def title_of(response):
    found = TITLE.search(response.content.decode())
    return found.group(1) if found else None


def test_the_council_page_title_is_the_council_even_for_those_who_see_its_history(
    client, coordinator_taira
):
    council = Council.objects.get(name="平 第2層協議体")
    council.note = "会場は平市民会館"
    council.save()  # a change, so the page shows a history
    client.force_login(coordinator_taira)
    page = client.get(council.get_absolute_url())
    assert "変更履歴" in page.text
    assert title_of(page) == f"平 第2層協議体 | {SITE}"


@pytest.mark.slow  # a walk over every page, database-independent: run once, in the SQLite pass
def test_no_page_puts_markup_or_more_than_a_line_in_its_title(
    client, administrator, coordinator_taira
):
    from coordinators.models import CalendarToken

    objects = Objects(CalendarToken.for_user(coordinator_taira).token)
    client.force_login(administrator)
    checked = 0
    for name, case in MATRIX.items():
        response = client.get(case.url(objects))
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        title = title_of(response)
        assert title is not None, name
        assert "<" not in title and "\n" not in title.strip(), (name, title)
        site = PUBLIC_SITE if name.startswith("directory:public") else SITE
        assert title.strip().endswith(site) and len(title) < 120, (name, title)
        checked += 1
    assert checked > 20
