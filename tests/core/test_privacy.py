"""What looks like a resident's phone number or address in free text, and what does not."""

import pytest

from core.privacy import personal_data_hints


@pytest.mark.parametrize(
    ("text", "kind", "shown"),
    [
        ("山田さん宅(0246-22-1111)を訪問", "phone", "0246-22-1111"),
        ("携帯090-1234-5678に折り返し", "phone", "携帯090-1234-5678"),
        ("０２４６－２２－１１１１", "phone", "0246-22-1111"),  # full-width, as typed
        ("09012345678", "phone", "09012345678"),
        ("(0246)22-1111", "phone", "(0246)22-1111"),
        ("22-1111に電話した", "phone", "22-1111"),
        ("TEL:0246 22 1111", "phone", "TEL:0246 22 1111"),
        ("〒970-8686", "address", "〒970-8686"),
        ("3丁目の集会所", "address", "3丁目"),
        ("平字田町120の方", "address", "平字田町120"),
        ("小名浜花畑町1-2のお宅", "address", "小名浜花畑町1-2"),
        ("12番地", "address", "12番地"),
        ("5番3号", "address", "5番3号"),
        ("201号室", "address", "201号室"),
    ],
)
def test_phone_numbers_and_addresses_are_found(text, kind, shown):
    hints = personal_data_hints(text)
    assert [(h.kind, h.text) for h in hints] == [(kind, shown)]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "区長と話し合い、買い物支援の担い手を3人確保",
        "第2層協議体(7/28)に出席",
        "平成29年度 2017-2018の計画",
        "2018-04-01に開始",
        "四倉町で5人が参加",
        "町内会で3-4人",
        "平 城山のサロンで20名参加",
        "電話で相談を受けた",
        "地区社協の会議室で打合せ",
    ],
)
def test_ordinary_activity_text_raises_no_hint(text):
    assert personal_data_hints(text) == []


def test_each_hint_is_given_once_in_order_with_a_japanese_message():
    hints = personal_data_hints("3丁目の方、電話 0246-22-1111")
    assert [h.kind for h in hints] == ["address", "phone"]
    assert hints[0].message == "「3丁目」は住所のように見えます。"
    assert hints[1].message == "「電話 0246-22-1111」は電話番号のように見えます。"
