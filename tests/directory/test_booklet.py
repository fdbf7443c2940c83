"""The area booklet (A4, for the 回覧板 and the counter): entries by help category, the date
printed, each entry's 最終確認日, and whom to ask where nobody offers a kind of help."""

import re
from datetime import date

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from councils.models import Area
from directory.models import Entry

pytestmark = pytest.mark.django_db


def section(body, number):
    return re.search(rf'<section[^>]*id="help-{number}".*?</section>', body, re.S).group(0)


def test_the_booklet_groups_entries_by_help_and_dates_everything(client, onahama_published):
    Entry.objects.filter(support_group__name="玉川").update(confirmed_on=date(2026, 9, 1))
    onahama = Area.objects.get(name="小名浜")
    with time_machine.travel(date(2026, 11, 30)):
        body = client.get(reverse("directory:public-booklet", args=[onahama.pk])).content.decode()
    assert re.search(r"印刷日: <time[^>]*>令和8年11月30日</time>", body)
    garbage = section(body, 5)
    assert "玉川町西区の住民支え合い活動" in garbage and "永崎の住民支え合い活動" in garbage
    assert "令和8年9月1日" in garbage and "未確認" in garbage  # each entry's 最終確認日
    assert "小名浜地区協議会(生活支援コーディネーター)" in garbage
    laundry = section(body, 9)
    assert "いまは登録がありません" in laundry and "小名浜地区協議会" in laundry
    assert "永崎" not in section(body, 12)
    assert body.count('class="entry-card"') == 2  # the details once each, after the index
    assert 'media="print"' in body and "public-print.css" in body


def test_the_print_stylesheet_lays_out_a4_portrait_in_large_type():
    css = (settings.BASE_DIR / "static" / "css" / "public-print.css").read_text()
    assert "size: A4 portrait" in css
    assert re.search(r"html \{ font-size: (1[3-9]|2\d)pt; \}", css)
