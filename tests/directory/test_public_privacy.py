"""No public page or feed shows a supporter's name, reading, phone, address or birth date, nor
an opinion's text.

Supporters go in as staff put them in, through the import engine (preview, then confirm), one
or two per model group; every entry is published; then every page reachable from the public
start page (every help category × area search, every entry, every booklet) and both feeds,
whole and per area, are read and searched for each value."""

import re
from datetime import date
from html import unescape
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import reverse

from activities.models import ImportSource, Supporter, SupportGroup
from activities.services import confirm_import, preview_import
from core.exports import to_csv
from core.wareki import format_date
from councils.models import Area, Meeting, Opinion
from directory.models import ContactKind, Entry, LocationKind

pytestmark = pytest.mark.django_db

SURNAMES = [
    "相沢",
    "伊集院",
    "卯月",
    "江戸川",
    "大河内",
    "加賀美",
    "菊池",
    "久遠寺",
    "剣持",
    "近衛",
]
GIVEN = ["一郎", "二葉", "三千代", "四郎", "五月", "六助", "七海", "八重子", "九兵衛", "十和子"]
SURNAME_KANA = ["アイザワ", "イジュウイン", "ウヅキ", "エドガワ", "オオコウチ", "カガミ", "キクチ"]
SURNAME_KANA += ["クオンジ", "ケンモチ", "コノエ"]
GIVEN_KANA = ["イチロウ", "フタバ", "ミチヨ", "シロウ", "サツキ", "ロクスケ", "ナナミ", "ヤエコ"]
GIVEN_KANA += ["キュウベエ", "トワコ"]
LINK = re.compile(r'href="([^"]+)"')


def supporter_rows():
    rows = []
    groups = list(SupportGroup.objects.order_by("model_number"))
    for n, group in enumerate(groups):
        for k in range(2):
            i = n * 2 + k
            first, given = i % 10, (i * 3 + i // 10) % 10
            rows.append(
                [
                    group.name,
                    f"{SURNAMES[first]} {GIVEN[given]}",
                    f"{SURNAME_KANA[first]} {GIVEN_KANA[given]}",
                    f"0246-7{i % 10}-{4000 + i}",
                    f"いわき市試験町{i}丁目{i + 7}番地",
                    date(1938 + i, 1 + i % 12, 1 + i % 27),
                    "ごみ出し、買物",
                ]
            )
    return rows


@pytest.fixture
def imported_supporters(coordinator_hq):
    data = to_csv(
        ["団体名", "氏名", "フリガナ", "電話番号", "住所", "生年月日", "活動内容"], supporter_rows()
    )
    plan, pending = preview_import(data, user=coordinator_hq, file_name="サポーター名簿.csv")
    assert pending is not None, plan.errors
    confirm_import(pending, user=coordinator_hq, source=ImportSource.WEB)
    supporters = list(Supporter.objects.all())
    assert len(supporters) == 30
    return supporters


@pytest.fixture
def opinions(data_2017):
    meeting = Meeting.objects.filter(council__area__name="小名浜").first()
    Opinion.objects.create(
        meeting=meeting,
        fiscal_year=meeting.fiscal_year,
        text="試験地区の独り暮らしの方がごみ出しに困っているとの声があった",
    )
    texts = list(Opinion.objects.values_list("text", flat=True))
    assert len(texts) >= 5  # the four of 2017 and this one
    return texts


@pytest.fixture
def everything_published(make_entry):
    make_entry(
        name="試験の個人宅サロン",
        location_kind=LocationKind.PRIVATE_HOME,
        contact_kind=ContactKind.PROVIDER,
        contact_name="試験の会",
        contact_phone="0246-11-2233",
    )
    Entry.objects.update(is_published=True)


def crawl(client, start, limit=600):
    """Every same-site page under the directory reachable from ``start``: {url: text}."""
    seen, queue, texts = set(), [start], {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code in (200, 302), url
        if response.status_code == 302:
            queue.append(response["Location"])
            continue
        body = response.content.decode("utf-8-sig")
        texts[url] = body
        if not response["Content-Type"].startswith("text/html"):
            continue
        for href in LINK.findall(body):
            href = unescape(urldefrag(href)[0])
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/sasaeai/"):
                continue
            queue.append(href)
    return texts


def values_of(supporter):
    name = supporter.name
    born = supporter.birth_date
    return [
        name,
        name.replace(" ", ""),
        supporter.kana,
        supporter.phone,
        supporter.phone.replace("-", ""),
        supporter.address,
        born.isoformat(),
        f"{born.year}/{born.month}/{born.day}",
        born.strftime("%Y/%m/%d"),
        format_date(born),
    ]


def test_no_public_page_or_feed_shows_a_supporter_or_an_opinion(
    client, imported_supporters, opinions, everything_published
):
    pages = crawl(client, reverse("directory:public-home"))
    for area in Area.objects.all():
        for feed in ("directory:public-csv", "directory:public-hsds"):
            url = f"{reverse(feed)}?area={area.pk}"
            pages[url] = client.get(url).content.decode("utf-8-sig")
    # The crawl reached what it should: every help category in every area, every entry, both
    # feeds, every booklet; and the pages do carry the entries' own words.
    searches = [url for url in pages if url.startswith(reverse("directory:public-search"))]
    assert len(searches) >= 13 * 13
    for entry in Entry.objects.all():
        assert entry.get_public_url() in pages
    for area in Area.objects.all():
        assert reverse("directory:public-booklet", args=[area.pk]) in pages
    assert reverse("directory:public-csv") in pages and reverse("directory:public-hsds") in pages
    everything = "\n".join(pages.values())
    assert "玉川町西区の住民支え合い活動" in everything and "0246-11-2233" in everything

    found = []
    for supporter in imported_supporters:
        for value in values_of(supporter):
            for url, body in pages.items():
                if value and value in body:
                    found.append((supporter.pk, value, url))
    for text in opinions:
        for url, body in pages.items():
            if text in body or text.rstrip("。") in body:
                found.append(("opinion", text, url))
    assert found == []
