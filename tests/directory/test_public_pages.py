"""The public directory: no sign-in, no cookie, no session, cacheable, only published entries,
active ones first, a plain "nothing here" with whom to ask, and a fixed number of queries."""

import re
from datetime import date

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from councils.models import Area
from directory.models import Entry, EntryStatus
from tests.growth import grow_programme
from tests.test_permission_matrix import MATRIX, Objects

pytestmark = pytest.mark.django_db

PUBLIC = sorted(name for name in MATRIX if name.startswith("directory:public-"))


def search_url(area, number, **extra):
    query = "&".join(f"{k}={v}" for k, v in {"area": area.pk, "category": number, **extra}.items())
    return f"{reverse('directory:public-search')}?{query}"


@pytest.fixture
def objects(data_2017):
    return Objects(token="")


@pytest.mark.parametrize("name", PUBLIC)
def test_a_public_page_sets_no_cookie_writes_no_session_and_may_be_cached(name, objects):
    client = Client(enforce_csrf_checks=True)
    sessions = Session.objects.count()
    response = client.get(MATRIX[name].url(objects))
    assert response.status_code == 200, name
    assert not response.cookies, f"{name} set {list(response.cookies)}"
    assert "Set-Cookie" not in str(response.serialize_headers())
    assert Session.objects.count() == sessions
    assert "Cookie" not in response.get("Vary", ""), name
    assert response["Cache-Control"] == "public, max-age=300", name
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    if response["Content-Type"].startswith("text/html"):
        body = response.content.decode()
        assert "<script" not in body, f"{name} needs no JavaScript"
        assert not re.search(r'method="post"', body, re.I), f"{name} has a POST form"
        assert "csrfmiddlewaretoken" not in body


def test_a_signed_in_visitor_gets_the_same_page_but_it_is_not_stored(
    client, coordinator_onahama, onahama_published
):
    anonymous = Client().get(reverse("directory:public-area", args=[onahama_published[0].area_id]))
    client.force_login(coordinator_onahama)
    response = client.get(reverse("directory:public-area", args=[onahama_published[0].area_id]))
    assert "no-store" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert response.content == anonymous.content


def test_results_list_the_published_entries_of_the_area_and_category_with_how_to_ask(
    client, onahama_published
):
    onahama = Area.objects.get(name="小名浜")
    Entry.objects.filter(area__name="平").update(is_published=True)  # 鎌田 does ごみ出し in 平
    body = client.get(search_url(onahama, 5)).content.decode()
    assert "玉川町西区の住民支え合い活動" in body and "永崎の住民支え合い活動" in body
    assert "鎌田" not in body
    assert "2件あります" in body
    assert "小名浜地区協議会(生活支援コーディネーター)" in body
    assert body.count("未確認") >= 2  # place, times, fees: nobody has confirmed them yet


def test_unpublished_entries_are_nowhere_on_the_public_pages(client, data_2017):
    onahama = Area.objects.get(name="小名浜")
    entry = Entry.objects.get(support_group__name="永崎")
    body = client.get(search_url(onahama, 5)).content.decode()
    assert "永崎" not in body
    assert "登録が、いまはありません" in body
    assert client.get(entry.get_public_url()).status_code == 404
    assert (
        "永崎"
        not in client.get(reverse("directory:public-area", args=[onahama.pk])).content.decode()
    )


def test_active_entries_come_first_and_a_suspended_one_shows_its_notice(client, make_entry):
    onahama = Area.objects.get(name="小名浜")
    make_entry(
        name="あいうえお休止中の会",
        status=EntryStatus.SUSPENDED,
        suspended_notice="台風の被害のため休んでいます",
        suspended_until=date(2027, 4, 1),
    )
    make_entry(name="んんん活動中の会")
    body = client.get(search_url(onahama, 5)).content.decode()
    assert body.index("んんん活動中の会") < body.index("あいうえお休止中の会")
    assert "台風の被害のため休んでいます" in body
    assert "令和9年4月1日" in body


def test_an_ended_entry_leaves_the_lists_but_keeps_its_page(client, make_entry):
    entry = make_entry(name="終わった会", status=EntryStatus.ENDED)
    onahama = Area.objects.get(name="小名浜")
    assert "終わった会" not in client.get(search_url(onahama, 5)).content.decode()
    assert "終わった会" not in client.get(reverse("directory:public-csv")).content.decode(
        "utf-8-sig"
    )
    page = client.get(entry.get_public_url()).content.decode()
    assert "この活動は終わりました" in page


def test_no_provider_says_so_plainly_and_invites_supporters(client, data_2017):
    taira = Area.objects.get(name="平")
    body = client.get(search_url(taira, 9)).content.decode()  # ⑨洗濯: nobody in 2017
    assert "平には、「洗濯」を手伝う活動の登録が、いまはありません。" in body
    assert "平地区協議会(生活支援コーディネーター)に相談できます" in body
    assert "サポーターになりませんか" in body


def test_the_category_page_counts_the_entries_of_each_area(client, onahama_published):
    body = client.get(reverse("directory:public-category", args=[5])).content.decode()
    onahama = Area.objects.get(name="小名浜")
    link = re.search(rf'area={onahama.pk}&amp;category=5">(.*?)</a>', body, re.S).group(1)
    assert "2件" in link
    taira = Area.objects.get(name="平")
    link = re.search(rf'area={taira.pk}&amp;category=5">(.*?)</a>', body, re.S).group(1)
    assert "登録なし" in link


def test_the_area_page_gives_every_category_its_count_and_the_office(client, onahama_published):
    onahama = Area.objects.get(name="小名浜")
    body = client.get(reverse("directory:public-area", args=[onahama.pk])).content.decode()
    assert "<ruby>小名浜<rp>(</rp><rt>おなはま</rt><rp>)</rp></ruby>" in body
    assert "小名浜の相談窓口" in body
    assert "小名浜の活動すべて(2件)" in body
    assert reverse("directory:public-booklet", args=[onahama.pk]) in body


def test_a_search_by_word_finds_services(client, onahama_published):
    response = client.get(reverse("directory:public-search"), {"q": "畑作"})
    body = response.content.decode()
    assert "玉川町西区の住民支え合い活動" in body and "永崎" not in body


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"area": "abc"}, 400),
        ({"area": "999999", "category": "5"}, 400),
        ({"category": "99"}, 404),
        ({"q": "\x00サロン"}, 400),
        ({"q": "x" * 500}, 400),
        ({"area": "1", "category": "5", "page": "abc"}, 200),
        ({"area": "1", "category": "5", "page": "999"}, 200),
        ({"kind": "nonsense"}, 400),
    ],
)
def test_bad_query_strings_get_a_message_or_a_404_never_a_500(client, data_2017, query, status):
    query = {
        k: (str(Area.objects.first().pk) if k == "area" and v == "1" else v)
        for k, v in query.items()
    }
    assert client.get(reverse("directory:public-search"), query).status_code == status


def test_a_search_with_only_a_category_or_an_area_goes_to_the_chooser(client, data_2017):
    onahama = Area.objects.get(name="小名浜")
    response = client.get(reverse("directory:public-search"), {"category": 5})
    assert response["Location"] == reverse("directory:public-category", args=[5])
    response = client.get(reverse("directory:public-search"), {"area": onahama.pk})
    assert response["Location"] == reverse("directory:public-area", args=[onahama.pk])


def test_the_entry_page_shows_the_last_confirmation_and_the_reports_date_as_such(
    client, onahama_published
):
    entry = onahama_published[0]
    body = client.get(entry.get_public_url()).content.decode()
    assert "最終確認日" in body and "未確認" in body
    body = re.sub(r"<[^>]+>", "", body)
    assert "平成29年10月31日時点の報告書の情報です。確認した日ではありません" in body
    Entry.objects.filter(pk=entry.pk).update(confirmed_on=date(2026, 11, 30))
    body = client.get(entry.get_public_url()).content.decode()
    assert '<time datetime="2026-11-30"' in body and "令和8年11月30日" in body


def _search_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_search_costs_the_same_queries_with_ten_times_the_entries(client, make_entry):
    onahama = Area.objects.get(name="小名浜")
    grow_programme(times=3)
    for i in range(3):
        make_entry(name=f"少ない{i}", serves=["平"], categories=(5, 2))
    small = _search_queries(client, search_url(onahama, 5))
    areas = list(Area.objects.all()[:6])
    for i in range(60):
        entry = make_entry(name=f"多い{i}", categories=(5, 2, 1))
        entry.service_areas.add(*areas)
    large = _search_queries(client, search_url(onahama, 5))
    # the area, the help category, the count, the rows, their schedules and help categories,
    # the coordinator's office: the same seven at any size
    assert small == large == 7
    for url in (
        reverse("directory:public-area", args=[onahama.pk]),
        reverse("directory:public-category", args=[5]),
        reverse("directory:public-booklet", args=[onahama.pk]),
        reverse("directory:public-hsds"),
        reverse("directory:public-csv"),
    ):
        assert _search_queries(client, url) <= 10, url


def test_beyond_a_hundred_areas_the_choice_of_area_is_a_name_search(client, data_2017):
    grow_programme(times=10)  # 130 areas
    url = reverse("directory:public-category", args=[5])
    body = client.get(url).content.decode()
    assert 'name="area_q"' in body and "area=" not in body
    body = client.get(url, {"area_q": "試験圏域11"}).content.decode()
    shown = set(re.findall(r"area=(\d+)&amp;category=5", body))
    expected = Area.objects.filter(name__startswith="試験圏域11").values_list("pk", flat=True)
    assert shown == {str(pk) for pk in expected} and len(shown) == 8  # 11 and 110–116
    body = client.get(reverse("directory:public-home"), {"area_q": "存在しない"}).content.decode()
    assert "「存在しない」という名前の地域は見つかりませんでした" in body


def test_a_kind_of_resource_is_listed_across_the_areas(client, onahama_published, make_entry):
    make_entry(name="試験の移動販売", kind="mobile_shop", serves=["平"])
    body = client.get(reverse("directory:public-search"), {"kind": "mobile_shop"}).content.decode()
    assert "試験の移動販売" in body and "永崎" not in body
    assert "「移動販売」" in body
    home = client.get(reverse("directory:public-home")).content.decode()
    assert f"{reverse('directory:public-search')}?kind=mobile_shop" in home
