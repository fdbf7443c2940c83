"""Readings (よみ) of the 13 area names, shown as furigana on the public pages.

Several of Iwaki's area names are hard to read (勿来, 田人, 好間, 久之浜大久). These are the
areas' ordinary readings, the city's own place names; the 2017 report gives no readings, so
they are presentation here, not data of the fixtures (docs/decisions/0018-what-the-2017-entries-hold.md).
An area not listed (a new or synthetic one) is shown without furigana.
"""

AREA_READINGS = {
    "平": "たいら",
    "小名浜": "おなはま",
    "勿来": "なこそ",
    "田人": "たびと",
    "常磐": "じょうばん",
    "遠野": "とおの",
    "内郷": "うちごう",
    "好間": "よしま",
    "三和": "みわ",
    "四倉": "よつくら",
    "久之浜大久": "ひさのはまおおひさ",
    "小川": "おがわ",
    "川前": "かわまえ",
}


def area_reading(name: str) -> str:
    return AREA_READINGS.get(name, "")
