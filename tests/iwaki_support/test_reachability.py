"""Every fact of the 2017 report is on a page reachable by links from ``/``, not only in the admin.

The test signs in as city staff, follows every same-site link from the home page (leaving out
the admin, exports and sort/filter variants of a page) and collects the text of the pages it
reaches; then it looks for every fact of the 2017 report listed in FACTS (docs/data-2017.md
says where the data comes from).
"""

import re
from html import unescape
from urllib.parse import urldefrag, urlsplit

import pytest

pytestmark = pytest.mark.django_db

LINK = re.compile(r'href="([^"]+)"')
TAG = re.compile(r"<[^>]+>")

FACTS = [
    # areas and districts
    *[
        "平",
        "小名浜",
        "勿来",
        "田人",
        "常磐",
        "遠野",
        "内郷",
        "好間",
        "三和",
        "四倉",
        "久之浜大久",
        "小川",
        "川前",
    ],
    "第1層協議体",
    "設置していない",
    # city profile, with sources
    "327,491",
    "95,614",
    "29.2",
    "19,366",
    "20.3",
    "5,789",
    "日常生活圏域数",
    "地域包括支援センター数",
    "中地域ケア会議",
    "148",
    "住民基本台帳",
    "介護保険事業報告",
    # model project
    "37,000千円",
    "28,000千円",
    "平城山",
    "川前山下谷",
    # help categories and classification
    "声かけ",
    "通院・外出",
    "回覧板移動",
    "工夫必要",
    "難しい",
    # tier-2 councils: dates, members, schedule
    "平成29年7月28日",
    "平成29年7月27日",
    "民生児童委員協議会",
    "行政嘱託員協議会",
    "高齢クラブ連合会",
    "地域ニーズ調査結果報告",
    "担い手の養成やフォローアップ",
    "平成30年2月",
    "平成29年11月27日",
    # tier-3 activity table
    "平 城山",
    "買い物代行",
    "平成29年10月31日",
    "299",
    "288",
    # opinions and plan ahead
    "移動販売",
    "ごみ出し支援",
    "多世代の交流",
    "民生委員の負担",
    "今後の予定",
    # coordinators
    "社会福祉協議会本部",
    "平成27年4月1日",
    "内郷・好間・三和",
    "繋がり",
    # outcomes
    "390",
    "6,546",
    "1,417",
    "612",
    "230",
    "70,000",
    "527",
    "130",
    "18,531",
    "オレンジカフェ",
    "生活援助サービス",
    "小地域福祉活動",
    # publishing
    "いごく",
]


def crawl(client, start="/", limit=400):
    # About 180 pages are reachable today (the public directory's areas, categories and
    # booklets among them); the limit only stops a runaway crawl.
    seen, queue, texts = set(), [start], []
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        if not response["Content-Type"].startswith("text/html"):
            continue
        body = response.content.decode()
        texts.append(unescape(TAG.sub(" ", body)))
        for href in LINK.findall(body):
            href = unescape(urldefrag(href)[0])
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(("/admin", "/static", "/accounts")) or parts.query:
                continue
            queue.append(parts.path)
    return seen, "\n".join(texts)


@pytest.mark.slow  # a walk over every page, database-independent: run once, in the SQLite pass
def test_every_fact_of_the_report_is_reachable_from_home(client, city_staff, data_2017):
    client.force_login(city_staff)
    seen, text = crawl(client)
    assert "/status/" in seen
    missing = [fact for fact in FACTS if fact not in text]
    assert missing == []
