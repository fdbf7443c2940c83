"""The year's report (市町村の取組): for 平成29年度 every fact of the 2017 report, its own
discrepancies kept; for a later year that year's records and "nothing recorded" where the
records are silent; the supporter counts as of a chosen date; the xlsx."""

import io
import re
from datetime import date
from html import unescape

import openpyxl
import pytest
from django.urls import reverse

from activities.models import KeyFigure, NoteTopic, ProgrammeNote, SupporterCount, SupportGroup
from coordinators.models import Coordinator
from councils.models import Council, Meeting, MeetingStatus, Opinion
from journal.models import ActivityKind, JournalEntry

pytestmark = pytest.mark.django_db

REPORT_2017 = reverse("report", args=[2017])
REPORT_2018 = reverse("report", args=[2018])
TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"\s+")

# Every fact of the December 2017 report (the seed of fixtures/2017), as the page writes it:
# numbers with their units and separators, dates in era form, the scan's errors corrected as
# docs/data-2017.md says (田入 → 田人, ポーター → サポーター, つどの場 → つどいの場).
FACTS_2017 = [
    # title page
    "生活支援体制整備事業に関する市町村の取組",
    "福島県いわき市",
    "(平成29年12月)",  # 平成29年12月作成: the report named as the source of its figures
    "作成時点:29年12月",
    # 基礎データ
    "総人口",
    "327,491人",
    "H29.10.1現在",
    "いわき市「住民基本台帳」",
    "高齢者人口",
    "95,614人",
    "高齢化率",
    "29.2%",
    "要介護・要支援認定者数",
    "19,366人",
    "要介護認定率",
    "20.3%",
    "H29.9月末",
    "厚生労働省「介護保険事業報告(月報)」",
    "日常生活圏域数",
    "14圏域",
    "地域包括支援センター数",
    "7か所",
    "委託",
    "第6期介護保険料",
    "5,789円",
    "厚生労働省ホームページ",
    "管内の特徴として、14市町村の合併により生まれた背景から、非常に広域であること、"
    "人口が分散していること、地域ごとの特色が強いこと、などが挙げられる。",
    # いわき版・地域包括ケアの推進
    "いわき版・地域包括ケアの推進",
    "～地域単位の「課題解決」と「共創」のしくみづくり～",
    "地区保健福祉センターに地域包括支援センター、地区社協を併設し、市民窓口の一元化と地域マネジメント体制を確立",
    "さらに7圏域ごとに「中地域ケア会議」を設置。(委員総勢のべ148人※行政職員除く)",
    "「中地域ケア会議」で地域住民、関係機関、行政が一同に会し、地域の生活課題を解決していくことを目的とした活動がはじまっている",
    "「共創によるまちづくり」を具現化するしくみが「地域ケア会議」",
    "7圏域",
    "148人",
    # 協議体 1 設置状況
    "第1層:設置していない。",
    "第2層:平成29年7月に設置",
    "構成員:社会福祉協議会、地域包括支援センター、民生児童委員協議会、行政嘱託員協議会、"
    "高齢クラブ連合会、大学、高校、行政、その他",
    # 2 設置までの経緯
    "住民主体型（住民支え合い活動）",
    "H27・H28モデル",
    "社協に委託",
    "モデル事業費H27",
    "37,000千円",
    "モデル事業費H28",
    "28,000千円",
    *[
        f"{mark}{name}"
        for mark, name in zip(
            "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮",
            [
                "平城山",
                "平鎌田",
                "小名浜玉川",
                "永崎",
                "勿来南台",
                "入旅人",
                "常磐下船尾",
                "遠野上根本",
                "内郷高坂",
                "好間田代・沼平",
                "四倉新町",
                "小川塩田",
                "三和上市萱",
                "久之浜西町",
                "川前山下谷",
            ],
            strict=True,
        )
    ],
    "生活支援ニーズの把握と支援内容の検討",
    *[
        f"{mark}{name}"
        for mark, name in zip(
            "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬",
            [
                "声かけ",
                "買物",
                "通院・外出",
                "庭手入れ",
                "ごみ出し",
                "掃除",
                "窓拭き",
                "電球交換",
                "洗濯",
                "調理",
                "重い物移動",
                "回覧板移動",
                "その他",
            ],
            strict=True,
        )
    ],
    "できる・工夫必要・難しいの3つに分類し、介護保険から外れたところの支援を検討",
    "「できること」から開始を決定！",
    "平成27・28年度は、モデル事業として、15の自治会圏域に第3層協議体を設置し、住民支え合い活動の"
    "創出に取り組んできたところであるが、本格実施となる平成29年度は、13の旧市町村圏域に第2層協議体を"
    "設置し、より広域な視点から住民支え合い活動の創出に取り組んでいく。",
    "平成27・28年度に引き続き、市社会福祉協議会に委託して、実施している。",
    "13旧市町村圏域（平、小名浜、勿来、田人、常磐、遠野、内郷、好間、三和、四倉、久之浜大久、小川、川前）",
    "○空白地帯への働きかけ",
    "○既存団体への支援など",
    "○具体的な活動の紹介",
    "○地域の現状と課題の伝達など",
    "15モデル団体（城山、鎌田、玉川、永崎、南台、入旅人、下船尾、上根本、高坂、田代・沼平、新町、塩田、上市萱、西町、山下谷）",
    "+新規団体（第2層の働きかけにより活動が始まった団体など）",
    # 3 開催の状況: H29スケジュール
    "平成29年7月〜",
    "第1回第2層協議体の開催",
    "住民支え合い活動の必要性について",
    "意見交換・情報交換",
    "地域ニーズ調査",
    "平成29年11月〜",
    "第2回第2層協議体の開催",
    "地域ニーズ調査結果報告",
    "課題の抽出と分析",
    "平成30年2月〜",
    "第3回第3層協議体の開催",  # the report's own wording, quoted beside the team's reading
    "担い手の養成やフォローアップ",
    "サービスの有償化などに関する検討",
    "通年実施",
    "第3層との連携",
    "事業の周知と広報",
    "住民支え合い活動に興味や関心のある地域住民や担い手などを中心とした活動グループの立ち上げと組織化支援",
    "担い手の養成",
    # 第3層協議体活動状況
    "平成29年10月31日現在",
    "登録サポーター数",
    # 主な意見
    "【協議体において出された主な意見】",
    "移動販売などの生活支援サービスがリスト化されていると活用もしやすいだろう。",
    "既存の組織を上手く活用しながら、ごみ出し支援などの新たな活動に取り組めるとよい。",
    "多世代の交流の重要性。",
    "民生委員の負担が大きいので、隣組長などがそれを支えるような形で見守りに取り組めるとよい。",
    # 今後の予定
    "【今後の予定】",
    "現在取りまとめ中である地域ニーズ調査から見えてきた地域の現状や課題から、その対応策について"
    "検討を進めることで、地域ごとに必要な生活支援に取り組むグループの立上げや組織化を支援していくなど、"
    "新たな担い手の養成に努めながら、支え合い活動の必要性などについて周知を図る。",
    # 生活支援コーディネーター
    "第1層は設置していない。",
    "第2層は平成27年4月に設置。",
    "配置場所：統括として社会福祉協議会本部に1名、7つの地区社協に各1名の合計8名を配置。",
    "職種は特に定めていない。",
    "これまでの地域との繋がりを考慮し、社会福祉協議会に配置。",
    "区長や民生児童委員と話し合いを持つ等、関係団体と連携を密にすることで、資源と担い手の発掘に努めている。",
    "地域に眠った活動、気付かない活動を掘り起こし展開している。",
    "関係機関との連携が密になることで、これまで結び付きの薄かった人と人、団体と団体の繋がり、"
    "意識醸成や担い手の発掘が進んでいる。",
    # 効果と関連する数値
    "住民支え合い活動モデル地区15地区",
    "住民支え合い活動サポーター288人",
    "社協の小地域福祉活動17地区",
    "「つどいの場」の創出390か所",
    "「つどいの場」実参加者6,546人",
    "高齢者見守り隊30か所",
    "高齢者見守り隊隊員1,417人",
    "シルバーリハビリ体操指導士612人",
    "シルバーリハビリ体操教室230教室",
    "シルバーリハビリ体操年間のべ参加70,000人",
    "「年間のべ7万人参加」",
    "シニアボランティアポイント登録527人",
    "シニアボランティアポイント受入機関130か所",
    "認知症サポーターの養成18,531人",
    "オレンジカフェ以和貴7か所",
    "いわき市生活援助サービス",
    # 情報発信
    "魅力ある「共生・共創のまちいわき」へ～「つながる」豊かさを、まちの魅力に～",
    "幸せな暮らしは地域の魅力そのもの",
    "自分が望む場所で最期まで暮らし続けること。それを当たり前に行けるいわきを目指して。",
    "先駆的な取り組みや魅力的な「ひと」「生活」「地域」を、地域包括ケアポータルサイト「いごく(Igoku)」"
    "などから発信し、いわきの「見える化」と「地域ごとの魅力の再発見」につなげる",
    "情報の発信により、市内各地の健全な「共創」・「競争」意識をさらに喚起",
    "魅力のある地域や取り組みが増えるほどに、外部からみたときに、全体としての「いわき」の魅力が大きくなっていく",
    "今後全国的に人口減少と少子高齢化が進んでいったときに、若い世代や次の世代にとっても魅力的なまちに、「いわき」はなれる",
    "Facebookやインスタグラムを活用して団塊の世代の子ども世代にも届けたい。",
]

# The report's tables, row by row (area or label → the values of its row).
ESTABLISHED = {
    "平": "7月28日",
    "小名浜": "7月27日",
    "勿来": "7月21日",
    "田人": "7月26日",
    "常磐": "7月24日",
    "遠野": "7月19日",
    "内郷": "7月26日",
    "好間": "7月21日",
    "三和": "7月19日",
    "四倉": "7月31日",
    "久之浜大久": "7月28日",
    "小川": "7月26日",
    "川前": "7月28日",
}
MEETINGS = {  # 第1回日程, 第2回日程
    "平": ("7月28日", "11月27日"),
    "小名浜": ("7月28日", "11月28日"),
    "勿来": ("7月21日", "11月16日"),
    "田人": ("7月26日", "11月29日"),
    "常磐": ("7月24日", "11月14日"),
    "遠野": ("7月19日", "11月20日"),
    "内郷": ("7月26日", "11月29日"),
    "好間": ("7月21日", "11月28日"),
    "三和": ("7月19日", "11月15日"),
    "四倉": ("7月31日", "11月29日"),
    "久之浜大久": ("7月28日", "11月28日"),
    "小川": ("7月26日", "11月29日"),
    "川前": ("7月28日", "11月25日"),
}
GROUPS = {  # 地区: (実施（予定）サービス, 登録サポーター数)
    "平 城山": (["買い物代行", "電球交換", "掃除", "困りごと相談", "書類整理"], 33),
    "平 鎌田": (["声かけ", "買い物", "電球交換", "ごみ出し・分別", "つどいの場の運営"], 24),
    "小名浜 玉川町西区": (["安否確認", "ごみ出し", "買い物", "重い物移動", "畑作・除草"], 21),
    "小名浜 永崎": (["見守り・声かけ", "買い物代行", "ごみ出し"], 17),
    "勿来 南台": (
        ["庭木の手入れ", "草引き", "窓拭き", "重い物の移動（ごみ出し）", "つどいの場の運営"],
        25,
    ),
    "田人 入旅人大字区": (
        ["買い物代行", "つどいの場の案内・送迎・運営", "入旅人あんしんカード"],
        29,
    ),
    "常磐 下船尾": (["買い物代行", "ごみ出し", "窓拭き・電球交換", "障子の張り替え"], 30),
    "遠野 上根本": (
        ["定期訪問（声かけ）", "庭先や墓周りの掃除", "重い物の移動", "移動サロンの運営"],
        8,
    ),
    "内郷 高坂9区": (
        ["声かけ・傾聴訪問", "つどいの場の運営", "意見箱", "通院付き添い", "薬受け取り"],
        14,
    ),
    "好間 田代・沼平": (["個人宅サロンの運営", "見守り・声かけ"], 8),
    "三和 上市萱": (["個人宅サロンの運営", "生活支援全般", "回覧板の引き取り", "話し相手"], 13),
    "四倉 新町": (["庭木の手入れ・草引き", "家電製品の組立て", "つどいの場の運営"], 27),
    "久之浜大久 西町1区": (["見守り・声かけ", "ごみ出し", "重い物の移動", "買い物代行"], 19),
    "小川 塩田": (["公民館サロン", "声かけ訪問", "草刈り・木の片付け", "買い物代行"], 26),
    "川前 山下谷": (["見守り・声かけ", "介護予防サロン"], 5),
}
PLACEMENTS = [  # 配置場所, 分類, 圏域 (all set up on 平成27年4月1日)
    ("平地区協議会", "平"),
    ("小名浜地区協議会", "小名浜"),
    ("勿来地区協議会", "勿来・田人"),
    ("常磐地区協議会", "常磐・遠野"),
    ("内郷地区協議会", "内郷・好間・三和"),
    ("四倉地区協議会", "四倉・久之浜大久"),
    ("小川地区協議会", "小川・川前"),
    ("社会福祉協議会本部", "各圏域の統括"),
]


def squeeze(text):
    return SPACE.sub("", text)


def text_of(html):
    return squeeze(unescape(TAG.sub(" ", html)))


def rows_of(html, section_id):
    """The text of each <tr> of the table that follows the heading ``section_id``."""
    start = html.index(f'id="{section_id}"')
    end = html.index("</table>", start)
    return [text_of(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html[start:end], re.S)]


def row_for(rows, label):
    found = [row for row in rows if row.startswith(squeeze(label))]
    assert len(found) == 1, (label, rows)
    return found[0]


@pytest.fixture
def page_2017(client, city_staff, data_2017):
    client.force_login(city_staff)
    response = client.get(REPORT_2017)
    assert response.status_code == 200
    return response.content.decode()


def test_the_2017_report_page_holds_every_fact_of_the_report(page_2017):
    text = text_of(page_2017)
    missing = [fact for fact in FACTS_2017 if squeeze(fact) not in text]
    assert missing == []


def test_the_2017_tier2_councils_are_set_up_on_the_reports_dates(page_2017):
    rows = rows_of(page_2017, "tier2-established")
    for area, day in ESTABLISHED.items():
        assert f"平成29年{day}" in row_for(rows, area), area


def test_the_2017_meetings_table_gives_each_areas_first_and_second_meeting(page_2017):
    rows = rows_of(page_2017, "tier2-meetings")
    for area, (first, second) in MEETINGS.items():
        row = row_for(rows, area)
        assert f"平成29年{first}" in row and f"平成29年{second}" in row, area
        assert "平成30年2月(予定)" in row, area


def test_the_2017_tier3_table_lists_each_groups_services_and_supporters(page_2017):
    rows = rows_of(page_2017, "groups")
    for label, (services, count) in GROUPS.items():
        row = row_for(rows, label)
        assert squeeze("、".join(services)) in row, label
        assert row.endswith(str(count)), label
    assert row_for(rows, "合計").endswith("299")


def test_the_2017_placement_table_lists_the_eight_coordinators(page_2017):
    rows = rows_of(page_2017, "placement")
    for number, (placement, area) in enumerate(PLACEMENTS, start=1):
        row = row_for(rows, str(number))
        assert row == squeeze(f"{number}{placement}第2層{area}平成27年4月1日"), row


def test_the_reports_own_discrepancies_stay_visible(page_2017):
    text = text_of(page_2017)
    # 299 counted group by group, 288 in the outcomes summary: both, and the difference.
    assert "団体別の登録サポーター数の合計は299人" in text
    assert "事業の集計値(「住民支え合い活動サポーター」)は288人" in text
    assert "差は11人" in text
    # 小名浜: set up on 7/27 by one table, first met on 7/28 by the other.
    assert "小名浜:設置日平成29年7月27日、第1回平成29年7月28日" in text
    assert row_for(rows_of(page_2017, "tier2-meetings"), "小名浜").startswith(
        "小名浜平成29年7月27日平成29年7月28日"
    )


def test_no_seed_fact_comes_from_the_template(page_2017, client):
    """The facts come from the records: emptied of its 2017 records, the page says so."""
    ProgrammeNote.objects.all().delete()
    Opinion.objects.update(is_main=False)
    text = text_of(client.get(REPORT_2017).content.decode())
    for fact in [
        "管内の特徴として",
        "移動販売などの生活支援サービス",
        "現在取りまとめ中である地域ニーズ調査",
        "職種は特に定めていない。",
        "いごく(Igoku)",
    ]:
        assert fact not in text, fact
    assert "平成29年度の今後の予定は記録されていません。" in text
    assert "平成29年度の主な意見は選ばれていません。" in text
    assert "平成29年度の「管内の特徴」は記録されていません。" in text


def test_a_later_year_shows_its_own_records_and_says_where_nothing_is_recorded(
    client, city_staff, data_2017
):
    client.force_login(city_staff)
    text = text_of(client.get(REPORT_2018).content.decode())
    assert "平成30年度" in text
    assert "平成30年度のスケジュールは記録されていません。" in text
    assert "平成30年度の主な意見は選ばれていません。" in text
    assert "平成30年度の今後の予定は記録されていません。" in text
    assert "平成30年度の「コーディネーターの活動の状況」は記録されていません。" in text
    # The 2017 prose is pointed to, not copied in.
    assert "平成29年度の記述があります。" in text
    assert "区長や民生児童委員と話し合いを持つ等" not in text
    # No meeting recorded in FY2018: the table says so cell by cell.
    row = row_for(rows_of(client.get(REPORT_2018).content.decode(), "tier2-meetings"), "平")
    assert row == squeeze("平 平成29年7月28日 — — —")
    # Key figures: the latest recorded up to the year, marked as an earlier year's.
    assert "327,491人" in text
    assert "平成29年度の記録(この年度の値は未入力)" in text
    assert "活動記録:平成30年度に0件" in text


def test_a_later_years_records_replace_the_earlier_ones(client, city_staff, data_2017):
    ProgrammeNote.objects.create(
        topic=NoteTopic.PLAN_AHEAD, report_year=2018, position=1, text="平成30年度の予定の文"
    )
    KeyFigure.objects.create(
        key="population",
        report_year=2018,
        category="profile",
        position=1,
        label="総人口",
        value=324000,
        unit="人",
        as_of=date(2018, 10, 1),
        source="いわき市「住民基本台帳」",
    )
    opinion = Opinion.objects.create(
        meeting=Meeting.objects.create(
            council=Council.objects.get(name="平 第2層協議体"),
            fiscal_year=2018,
            sequence=1,
            status=MeetingStatus.HELD,
            held_on=date(2018, 7, 20),
        ),
        fiscal_year=2018,
        text="平成30年度に出た主な意見",
        is_main=True,
    )
    entry = JournalEntry.objects.create(
        coordinator=Coordinator.objects.get(number=1),
        done_on=date(2018, 6, 1),
        kind=ActivityKind.RESOURCE_SURVEY,
        summary="資源を回った",
    )
    entry.areas.add(opinion.meeting.council.area)
    client.force_login(city_staff)
    text_2018 = text_of(client.get(REPORT_2018).content.decode())
    assert "平成30年度の予定の文" in text_2018
    assert "324,000人" in text_2018 and "327,491人" not in text_2018
    assert "平成30年度に出た主な意見" in text_2018
    assert "移動販売などの生活支援サービス" not in text_2018
    assert "資源の把握:1件" in text_2018
    assert "平成30年7月20日" in text_2018
    text_2017 = text_of(client.get(REPORT_2017).content.decode())
    assert "327,491人" in text_2017 and "324,000人" not in text_2017
    assert "平成30年度の予定の文" not in text_2017


def test_supporter_counts_as_of_a_date_the_reader_picks(client, city_staff, data_2017):
    shiroyama = SupportGroup.objects.get(name="城山")
    SupporterCount.objects.create(group=shiroyama, count=40, as_of=date(2018, 3, 31), source="試験")
    client.force_login(city_staff)
    # By default: the latest date counted within the year.
    rows = rows_of(client.get(REPORT_2017).content.decode(), "groups")
    assert row_for(rows, "平 城山").endswith("40")
    # As of 平成29年10月31日, as the report has it: 33 and 299 in all.
    picked = client.get(REPORT_2017, {"counts_as_of": "平成29年10月31日"}).content.decode()
    assert "平成29年10月31日現在" in text_of(picked)
    rows = rows_of(picked, "groups")
    assert row_for(rows, "平 城山").endswith("33")
    assert row_for(rows, "合計").endswith("299")


def test_an_unreadable_counts_date_is_said_in_japanese_and_the_page_still_shows(
    client, city_staff, data_2017
):
    client.force_login(city_staff)
    response = client.get(REPORT_2017, {"counts_as_of": "そのうち"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="errorlist' in body
    assert "日付の形式が読み取れません:そのうち" in text_of(body)
    # The page falls back to the year's own date.
    assert "平成29年10月31日現在" in text_of(body)


def test_a_year_out_of_range_is_404(client, city_staff, data_2017):
    client.force_login(city_staff)
    for year in (1800, 9999, 99999):
        assert client.get(reverse("report", args=[year])).status_code == 404
        assert client.get(reverse("survey", args=[year])).status_code == 404


def test_city_staff_get_the_writing_links_and_coordinators_do_not(
    client, city_staff, coordinator_taira, data_2017
):
    client.force_login(city_staff)
    body = client.get(REPORT_2017).content.decode()
    assert reverse("plan-ahead-edit", args=[2017]) in body
    assert reverse("keyfigure-edit", args=[2017, "population"]) in body
    client.force_login(coordinator_taira)
    body = client.get(REPORT_2017).content.decode()
    assert reverse("plan-ahead-edit", args=[2017]) not in body


def test_the_report_exports_one_typed_titled_printable_sheet_per_section(
    client, city_staff, data_2017
):
    client.force_login(city_staff)
    response = client.get(REPORT_2017, {"_export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "基礎データ",
        "協議体の設置",
        "設置までの経緯",
        "スケジュール",
        "第2層協議体の設置と開催",
        "第3層協議体活動状況",
        "主な意見",
        "今後の予定",
        "コーディネーター配置",
        "コーディネーターの活動",
        "効果と関連数値",
        "情報発信",
    ]
    for sheet in book:
        assert sheet["A1"].value.startswith("生活支援体制整備事業に関する市町村の取組 平成29年度")
        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert sheet.page_setup.fitToWidth == 1
        assert sheet.freeze_panes is not None
    profile = book["基礎データ"]
    header = [c.value for c in profile[3]]
    assert header[:4] == ["項目", "値", "単位", "時点"]
    population = next(row for row in profile.iter_rows(min_row=4) if row[0].value == "総人口")
    assert population[1].value == 327491 and population[1].data_type == "n"
    assert population[3].is_date and population[3].value.date() == date(2017, 10, 1)
    groups = book["第3層協議体活動状況"]
    assert groups["A2"].value == "平成29年10月31日現在"
    counts = {row[0].value: row[3].value for row in groups.iter_rows(min_row=4)}
    assert counts["平 城山"] == 33
    assert counts["合計(団体別の報告値)"] == 299
    assert counts["事業の集計値"] == 288
    meetings = book["第2層協議体の設置と開催"]
    onahama = next(row for row in meetings.iter_rows(min_row=4) if row[0].value == "小名浜")
    assert onahama[1].value.date() == date(2017, 7, 27)
    assert onahama[2].value.date() == date(2017, 7, 28)
    opinions = [row[0].value for row in book["主な意見"].iter_rows(min_row=4)]
    assert len(opinions) == 4 and opinions[2] == "多世代の交流の重要性。"


def test_the_report_makes_the_same_few_queries_when_the_records_grow_tenfold(
    client, city_staff, data_2017, django_assert_max_num_queries
):
    from tests.growth import grow_programme

    client.force_login(city_staff)
    with django_assert_max_num_queries(40):
        client.get(REPORT_2017)
    grow_programme(times=10)
    with django_assert_max_num_queries(40):
        assert client.get(REPORT_2017).status_code == 200


def test_the_index_offers_every_year_from_the_first_record_to_this_one(
    client, city_staff, data_2017
):
    import time_machine

    client.force_login(city_staff)
    with time_machine.travel("2020-06-01 10:00 +09:00", tick=False):
        body = client.get(reverse("report-index")).content.decode()
    for year in (2020, 2019, 2018, 2017):
        assert f'href="{reverse("report", args=[year])}"' in body, year
        assert f'href="{reverse("survey", args=[year])}"' in body, year
    assert f'href="{reverse("report", args=[2016])}"' not in body
    assert "令和2年度" in body and "平成29年度" in body
