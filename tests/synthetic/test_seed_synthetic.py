"""manage.py seed_synthetic: clearly synthetic records at N times Iwaki's size, and the main
pages costing the same number of queries at N=1 and N=10."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import Supporter, SupportGroup
from coordinators.models import Coordinator
from core.wareki import fiscal_year_of
from councils.models import Area, Council, Meeting
from directory.models import Entry
from synthetic import seed as synthetic


@pytest.mark.slow
def test_seeds_a_fresh_database_from_the_command_line(tmp_path):
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'synthetic.sqlite3'}")
    root = Path(__file__).resolve().parents[2]
    for args in (["migrate", "--noinput"], ["seed_synthetic", "--scale", "2", "--years", "3"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
    assert "26 areas, 16 coordinators, 30 groups, 600 supporters" in result.stdout


def test_refuses_a_database_holding_the_2017_data(data_2017):
    with pytest.raises(CommandError, match="holds real or 2017 records"):
        call_command("seed_synthetic", "--scale", "1")
    assert not Area.objects.filter(name__startswith="合成").exists()


def test_one_unit_is_iwaki_sized_and_every_name_says_synthetic(data_2017):
    counts = synthetic.seed(1, years=20)
    assert counts["areas"] == 13
    assert counts["groups"] == 15
    assert counts["supporters"] == 300
    assert counts["fiscal_years"] == 20
    assert counts["directory entries"] == 200
    entries = Entry.objects.filter(name__startswith="合成資源")
    assert entries.count() == 200 and not entries.exclude(provider__startswith="合成").exists()
    assert not entries.exclude(contact_phone="").exclude(contact_phone__startswith="000-").exists()
    assert entries.listed().count() > 150
    supporters = Supporter.objects.filter(group__name__startswith="合成")
    assert supporters.count() == 300
    assert not supporters.exclude(name__startswith="合成 太郎").exists()
    assert not supporters.exclude(phone__startswith="000-").exists()
    assert supporters.filter(name="合成 太郎0001").exists()
    assert Area.objects.filter(name="合成圏域0001").exists()
    years = Meeting.objects.filter(council__area__name__startswith="合成").values("fiscal_year")
    assert years.distinct().count() == 20


def test_refuses_to_seed_twice(db):
    synthetic.seed(1, years=1)
    with pytest.raises(CommandError, match="already holds synthetic"):
        call_command("seed_synthetic", "--scale", "1", "--force")


def pages():
    """The main pages, with the first synthetic record where a page needs one."""
    group = SupportGroup.objects.get(name="合成団体0001")
    area = Area.objects.get(name="合成圏域0001")
    council = Council.objects.get(name="合成圏域0001 第2層協議体")
    coordinator = Coordinator.objects.get(placement="合成地区協議会0001")
    meeting = Meeting.objects.filter(council=council).order_by("fiscal_year", "sequence").first()
    entry = Entry.objects.filter(name__startswith="合成資源", is_published=True).first()
    return {
        "directory search": f"{reverse('directory:public-search')}?area={area.pk}&category=5",
        "directory area": reverse("directory:public-area", args=[area.pk]),
        "directory entry": entry.get_public_url(),
        "directory booklet": reverse("directory:public-booklet", args=[area.pk]),
        "directory entries": reverse("directory:entry-list"),
        "directory needs": reverse("directory:needs-supply"),
        "home": reverse("home"),
        "status table": reverse("status"),
        "schedule": reverse("councils:schedule", args=[fiscal_year_of(timezone.localdate())]),
        "councils": reverse("councils:council-list"),
        "council": council.get_absolute_url(),
        "area": area.get_absolute_url(),
        "groups": reverse("activities:supportgroup-list"),
        "group": group.get_absolute_url(),
        "coordinators": reverse("coordinators:coordinator-list"),
        "coordinator": coordinator.get_absolute_url(),
        "imports": reverse("activities:supporterimport-list"),
        "supporters": reverse("activities:supporter-list"),
        "meetings": reverse("councils:meeting-list"),
        "meeting": meeting.get_absolute_url(),
        "meeting edit": reverse("councils:meeting-update", args=[meeting.pk]),
        "opinions": reverse("councils:opinion-list"),
        "survey matrix": reverse("needs_survey:survey-matrix"),
        "surveys": reverse("needs_survey:survey-list"),
        "access records": reverse("accessrecord-list"),
        "admin groups": reverse("admin:activities_supportgroup_changelist"),
        "admin supporters": reverse("admin:activities_supporter_changelist"),
        "admin meetings": reverse("admin:councils_meeting_changelist"),
    }


def query_counts(scale, user):
    with transaction.atomic():
        synthetic.seed(scale, years=2)
        client = Client()
        client.force_login(user)
        counts = {}
        for name, url in pages().items():
            client.get(url)  # warm the per-process caches (content types, sessions) first
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, name
            counts[name] = len(queries)
        transaction.set_rollback(True)
    return counts


def test_main_pages_cost_the_same_queries_at_scale_1_and_10(data_2017, administrator):
    at_1 = query_counts(1, administrator)
    at_10 = query_counts(10, administrator)
    assert at_10 == at_1
