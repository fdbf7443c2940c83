"""The meetings as an iCalendar feed (.ics) for calendar apps.

Calendar apps cannot sign in, so each user has a secret token in the feed's URL
(coordinators.CalendarToken) which they can reset. Events carry the council, 第n回, the
date and time, the venue and a link back to the meeting: nothing about any person.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from core import wareki
from councils.models import MeetingStatus

PRODID = "-//Iwaki City//生活支援体制整備事業 会議予定//JA"
DEFAULT_LENGTH = timedelta(hours=2)


def meeting_calendar(meetings, *, title, build_absolute_uri) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", title)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@iwaki-support")
        event.add("dtstamp", stamp)
        label = f"{meeting.council} {wareki.format_fiscal_year(meeting.fiscal_year)} 第{meeting.sequence}回"
        if meeting.status == MeetingStatus.PLANNED:
            label += " (予定)"
        event.add("summary", label)
        if meeting.starts_at:
            start = timezone.make_aware(
                datetime.combine(meeting.held_on, meeting.starts_at),
                timezone.get_default_timezone(),
            )
            event.add("dtstart", start)
            event.add("dtend", start + DEFAULT_LENGTH)
        else:
            event.add("dtstart", meeting.held_on)
            event.add("dtend", meeting.held_on + timedelta(days=1))
        if meeting.venue:
            event.add("location", meeting.venue)
        url = build_absolute_uri(meeting.get_absolute_url())
        event.add("url", url)
        event.add("description", f"{meeting.get_status_display()}。記録: {url}")
        event.add("status", "TENTATIVE" if meeting.status == MeetingStatus.PLANNED else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
