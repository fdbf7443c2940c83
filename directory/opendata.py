"""The directory as open data: CSV modelled on the 自治体標準オープンデータセット, and JSON
following Open Referral's Human Services Data Specification 3 (HSDS).

Both hold the published entries that have not ended (``EntryQuerySet.listed``), and nothing
else: no supporter, no person, no opinion. The mapping is docs/decisions/0016-directory-modelled-on-hsds.md.

Identifiers are stable: a service is its entry's ``public_id``; organizations, locations,
schedules, areas and categories get name-based UUIDs (uuid5) so that the same thing keeps
its id from one download to the next.
"""

import uuid

from django.utils import timezone

from core.exports import to_csv
from directory.models import Entry, EntryStatus, LocationKind, ScheduleKind, area_offices
from directory.privacy import plain_text

# The namespace of every uuid5 made here; never change it (ids would all move).
NAMESPACE = uuid.UUID("6b1f3c8e-2f5a-5b7d-9c41-1e0d2a7f4b90")

# The twelve columns of the issue in their order, then what a reader also needs.
CSV_HEADERS = [
    "名称",
    "名称_カナ",
    "実施サービス",
    "住所",
    "電話",
    "利用可能曜日",
    "利用可能日時特記事項",
    "URL",
    "備考",
    "対象圏域",
    "手伝ってほしいことの分類",
    "最終確認日",
    "種類",
    "実施団体",
    "場所",
    "費用",
    "利用できる人",
    "問い合わせ先",
    "状況",
    "ID",
]
LIST_SEPARATOR = ";"

HSDS_STATUS = {
    EntryStatus.ACTIVE: "active",
    EntryStatus.SUSPENDED: "temporarily closed",
    EntryStatus.ENDED: "defunct",
}
JST_OFFSET = "+09:00"
# Where a place may be named (a private home only with consent: the model refuses it otherwise).
PLACES = (LocationKind.PUBLIC, LocationKind.PRIVATE_HOME)


def feed_entries(area=None):
    entries = Entry.objects.listed().active_first().for_display()
    if area is not None:
        entries = entries.serving(area)
    return list(entries)


def _id(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts)))


def remarks(entry: Entry) -> str:
    """備考: the note, the suspension notice, and where a report's entry comes from."""
    parts = []
    if entry.status == EntryStatus.SUSPENDED:
        notice = f"休止中: {entry.suspended_notice}" if entry.suspended_notice else "休止中"
        if entry.suspended_until:
            notice += f"(再開の見込み {entry.suspended_until.isoformat()})"
        parts.append(notice)
    if entry.note:
        parts.append(entry.note)
    if entry.source:
        as_of = f"、{entry.source_as_of.isoformat()}時点" if entry.source_as_of else ""
        parts.append(f"出典: {entry.source}{as_of}")
    return " / ".join(parts)


# --- CSV -----------------------------------------------------------------------------------


def csv_rows(entries, offices):
    for entry in entries:
        contact = entry.contact(offices)
        yield [
            entry.name,
            entry.name_kana,
            entry.services,
            entry.public_address,
            contact.phone,
            LIST_SEPARATOR.join(entry.weekday_labels()),
            entry.schedule_text(),
            entry.url,
            remarks(entry),
            LIST_SEPARATOR.join(entry.service_area_names()),
            LIST_SEPARATOR.join(entry.category_names()),
            entry.confirmed_on,
            entry.get_kind_display(),
            entry.provider,
            entry.place_text(),
            entry.fees,
            entry.eligibility,
            contact.name,
            entry.get_status_display(),
            str(entry.public_id),
        ]


def to_csv_bytes(entries) -> bytes:
    offices = area_offices({entry.area_id for entry in entries})
    return to_csv(CSV_HEADERS, csv_rows(entries, offices))


# --- HSDS ----------------------------------------------------------------------------------


def organization(entry: Entry) -> dict:
    if entry.support_group_id:
        org_id = _id("supportgroup", entry.support_group_id)
        description = "住民支え合い活動の団体(第3層協議体)"
    else:
        org_id = _id("provider", plain_text(entry.provider))
        description = ""
    return {"id": org_id, "name": entry.provider, "description": description}


def _time(value) -> str | None:
    return f"{value:%H:%M}{JST_OFFSET}" if value else None


def schedules(entry: Entry) -> list[dict]:
    service_id = str(entry.public_id)
    if entry.schedule_kind == ScheduleKind.ARRANGEMENT:
        return [
            {
                "id": _id("schedule", entry.public_id, "arrangement"),
                "service_id": service_id,
                "description": "要相談",
                "notes": entry.schedule_note or None,
            }
        ]
    if entry.schedule_kind != ScheduleKind.REGULAR:
        return []
    return [
        {
            "id": _id("schedule", entry.public_id, schedule.pk),
            "service_id": service_id,
            "freq": schedule.rrule_freq(),
            "interval": 1,
            "byday": schedule.rrule_byday(),
            "wkst": "MO",
            "opens_at": _time(schedule.opens_at),
            "closes_at": _time(schedule.closes_at),
            "timezone": 9,
            "description": schedule.describe(),
            "notes": entry.schedule_note or None,
        }
        for schedule in entry.schedules.all()
    ]


def service_areas(entry: Entry) -> list[dict]:
    return [
        {
            "id": _id("service_area", entry.public_id, area.pk),
            "service_id": str(entry.public_id),
            "name": area.name,
            "description": f"いわき市 {area.name}圏域",
            "extent_type": None,
            "extent": None,
        }
        for area in entry.service_areas.all()
    ]


def service_at_locations(entry: Entry) -> list[dict]:
    address = entry.public_address
    place = entry.place_name if entry.location_kind in PLACES else ""
    if not (address or place):
        return []
    location_id = _id("location", entry.public_id)
    location = {
        "id": location_id,
        "location_type": "physical",
        "name": place or entry.name,
        "description": entry.place_text(),
        "addresses": [],
    }
    if address:
        location["addresses"].append(
            {
                "id": _id("address", entry.public_id),
                "location_id": location_id,
                "address_1": address,
                "city": "いわき市",
                "state_province": "福島県",
                "postal_code": "",
                "country": "JP",
                "address_type": "physical",
            }
        )
    return [
        {
            "id": _id("service_at_location", entry.public_id),
            "service_id": str(entry.public_id),
            "location_id": location_id,
            "location": location,
        }
    ]


def attributes(entry: Entry) -> list[dict]:
    return [
        {
            "id": _id("attribute", entry.public_id, category.number),
            "link_id": str(entry.public_id),
            "link_type": "help_category",
            "link_entity": "service",
            "taxonomy_term_id": _id("help_category", category.number),
            "taxonomy_term": {
                "id": _id("help_category", category.number),
                "code": str(category.number),
                "name": category.name,
                "description": "手伝ってほしいこと(いわき市 地域ニーズ調査の13項目)",
                "taxonomy": "iwaki-help-categories",
                "language": "ja",
            },
        }
        for category in entry.help_categories.all()
    ]


def service(entry: Entry, offices) -> dict:
    contact = entry.contact(offices)
    ask = f"問い合わせ先: {contact.name}"
    if contact.hours:
        ask += f"(受付 {contact.hours})"
    phones = []
    if contact.phone:
        phones.append(
            {
                "id": _id("phone", entry.public_id),
                "service_id": str(entry.public_id),
                "number": contact.phone,
                "type": "voice",
                "description": ask,
            }
        )
    alert = None
    if entry.status == EntryStatus.SUSPENDED:
        alert = entry.suspended_notice or "休止中"
        if entry.suspended_until:
            alert += f"(再開の見込み {entry.suspended_until.isoformat()})"
    description = "\n".join(
        part for part in (entry.description, f"実施サービス: {entry.services}") if part
    )
    return {
        "id": str(entry.public_id),
        "organization_id": organization(entry)["id"],
        "name": entry.name,
        "alternate_name": entry.name_kana or None,
        "description": description,
        "url": entry.url or None,
        "status": HSDS_STATUS[entry.status],
        "application_process": ask,
        "fees_description": entry.fees or None,
        "eligibility_description": entry.eligibility or None,
        "assured_date": entry.confirmed_on.isoformat() if entry.confirmed_on else None,
        "alert": alert,
        "last_modified": timezone.localtime(entry.updated_at).isoformat(),
        "organization": organization(entry),
        "phones": phones,
        "schedules": schedules(entry),
        "service_areas": service_areas(entry),
        "service_at_locations": service_at_locations(entry),
        "attributes": attributes(entry),
        "languages": [{"id": _id("language", entry.public_id), "name": "日本語", "code": "ja"}],
    }


def hsds_document(entries) -> dict:
    """The entries as one page of HSDS's ``/services`` answer (its paginated list format)."""
    offices = area_offices({entry.area_id for entry in entries})
    contents = [service(entry, offices) for entry in entries]
    return {
        "total_items": len(contents),
        "total_pages": 1,
        "page_number": 1,
        "size": len(contents),
        "first_page": True,
        "last_page": True,
        "empty": not contents,
        "contents": contents,
    }
