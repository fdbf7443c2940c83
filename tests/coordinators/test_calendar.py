"""The meeting calendar feeds: secret per-user URLs, per coordinator and per area, no personal data."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from coordinators.models import CalendarToken, Coordinator
from councils.models import Area, Meeting, MeetingStatus

pytestmark = pytest.mark.django_db


def feed_url(token, kind, pk):
    return reverse(f"coordinators:calendar-{kind}", args=[token, pk])


def events(response):
    calendar = Calendar.from_ical(response.content)
    return [component for component in calendar.walk("VEVENT")]


def test_area_feed_lists_the_area_meetings_with_links_back(client, coordinator_taira):
    token = CalendarToken.for_user(coordinator_taira).token
    taira = Area.objects.get(name="平")
    response = client.get(feed_url(token, "area", taira.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    found = events(response)
    dated = Meeting.objects.filter(council__area=taira, held_on__isnull=False)
    assert len(found) == dated.count() > 0
    urls = {str(event["url"]) for event in found}
    assert {f"http://testserver{m.get_absolute_url()}" for m in dated} == urls
    assert all("平" in str(event["summary"]) for event in found)


def test_a_planned_meeting_with_a_time_is_a_tentative_timed_event(client, coordinator_taira):
    meeting = Meeting.objects.get(council__name="平 第2層協議体", fiscal_year=2017, sequence=3)
    meeting.held_on = meeting.planned_month.replace(day=20)
    meeting.starts_at = "13:30"
    meeting.venue = "平市民会館"
    meeting.save()
    token = CalendarToken.for_user(coordinator_taira).token
    found = events(client.get(feed_url(token, "area", meeting.council.area_id)))
    event = next(e for e in found if str(e["uid"]) == f"meeting-{meeting.pk}@iwaki-support")
    assert str(event["status"]) == "TENTATIVE"
    assert "(予定)" in str(event["summary"])
    assert event.decoded("dtstart").isoformat() == "2018-02-20T13:30:00+09:00"
    assert str(event["location"]) == "平市民会館"


def test_coordinator_feed_covers_their_areas(client, city_staff):
    kawauchi = Coordinator.objects.get(placement="内郷地区協議会")
    token = CalendarToken.for_user(city_staff).token
    found = events(client.get(feed_url(token, "coordinator", kawauchi.pk)))
    areas = {
        m.council.area.name
        for m in Meeting.objects.filter(
            pk__in=[int(str(e["uid"]).split("-")[1].split("@")[0]) for e in found]
        )
    }
    assert areas == {a.name for a in kawauchi.areas.all()}


def test_cancelled_meetings_and_personal_text_stay_out(client, coordinator_taira):
    meeting = Meeting.objects.filter(council__area__name="平", held_on__isnull=False).first()
    meeting.summary = "山田花子さん(090-0000-0000)から相談"
    meeting.save()
    other = Meeting.objects.filter(council__area__name="平", held_on__isnull=False).last()
    other.status = MeetingStatus.CANCELLED
    other.save()
    token = CalendarToken.for_user(coordinator_taira).token
    response = client.get(feed_url(token, "area", meeting.council.area_id))
    assert "山田" not in response.content.decode()
    assert f"meeting-{other.pk}@" not in response.content.decode()


def test_an_unknown_or_reset_token_gets_404(client, coordinator_taira):
    token = CalendarToken.for_user(coordinator_taira)
    old = token.token
    area = Area.objects.get(name="平")
    assert client.get(feed_url("not-a-token", "area", area.pk)).status_code == 404
    client.force_login(coordinator_taira)
    assert client.post(reverse("coordinators:calendar-reset")).status_code == 302
    client.logout()
    assert client.get(feed_url(old, "area", area.pk)).status_code == 404
    token.refresh_from_db()
    assert client.get(feed_url(token.token, "area", area.pk)).status_code == 200


def test_a_deactivated_user_s_token_stops_working(client, coordinator_taira):
    token = CalendarToken.for_user(coordinator_taira).token
    coordinator_taira.is_active = False
    coordinator_taira.save()
    area = Area.objects.get(name="平")
    assert client.get(feed_url(token, "area", area.pk)).status_code == 404


def test_the_links_page_shows_the_user_s_own_feed(client, coordinator_taira):
    client.force_login(coordinator_taira)
    response = client.get(reverse("coordinators:calendar"))
    token = CalendarToken.objects.get(user=coordinator_taira).token
    mine = Coordinator.objects.get(placement="平地区協議会")
    assert f"http://testserver{feed_url(token, 'coordinator', mine.pk)}" in response.text


def test_the_links_page_does_not_create_tokens_for_users_without_a_role(client, make_user):
    nobody = make_user("nobody")
    client.force_login(nobody)
    assert client.get(reverse("coordinators:calendar")).status_code == 403
    assert not CalendarToken.objects.filter(user=nobody).exists()
