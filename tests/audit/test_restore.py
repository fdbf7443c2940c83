"""Restoring deleted records: a record comes back as it was deleted, every field and relation
included (many-to-many, the links other records had to it, the rows deleted with it), and the
deleted-records page offers the latest deletion of each record.

The round trips compare everything ``describe`` sees before the deletion and after the
restore: every concrete field, every many-to-many (declared on either side), every row that
points at the record, and the same of the rows that were deleted with it.
"""

import pytest
from django.urls import reverse

from activities.models import GroupService, Supporter, SupporterCount, SupportGroup
from audit.models import AccessRecord
from councils.models import (
    Council,
    FollowUp,
    Meeting,
    Membership,
    Opinion,
    OrganisationType,
    Tier,
)
from needs_survey.models import HelpCategory

pytestmark = pytest.mark.django_db


def describe(instance, depth=1):
    """Every field and relation of ``instance`` as plain values, for comparing before/after."""
    model = type(instance)
    fresh = model._default_manager.get(pk=instance.pk)
    found = {"pk": fresh.pk}
    for field in model._meta.concrete_fields:
        found[field.attname] = getattr(fresh, field.attname)
    for relation in model._meta.get_fields():
        if relation.many_to_many:
            accessor = relation.name if not relation.auto_created else relation.get_accessor_name()
            found[f"m2m:{accessor}"] = sorted(getattr(fresh, accessor).values_list("pk", flat=True))
        elif relation.one_to_many or (relation.one_to_one and relation.auto_created):
            related = relation.related_model
            rows = related._default_manager.filter(**{relation.field.name: fresh.pk}).order_by("pk")
            if depth and related._meta.app_label != "audit":
                found[f"rows:{relation.get_accessor_name()}"] = [
                    describe(row, depth - 1) for row in rows
                ]
            else:
                found[f"rows:{relation.get_accessor_name()}"] = list(
                    rows.values_list("pk", flat=True)
                )
    return found


def restore_url(model_name, record):
    return reverse("restore-record", args=[model_name, record.history_id])


def remove(instance):
    """Delete as the admin's "delete selected" does; ``instance`` keeps its pk."""
    type(instance)._default_manager.filter(pk=instance.pk).delete()


def deleted(model, pk):
    """The latest deletion of ``pk`` in ``model``'s history."""
    return model.history.filter(id=pk, history_type="-").latest("history_date")


@pytest.fixture
def taira():
    return Council.objects.get(name="平 第2層協議体")


@pytest.fixture
def rich_meeting(client, coordinator_taira, taira):
    """A meeting with everything a meeting can have, saved through the edit page twice (so its
    version is 3), one opinion continued by an opinion of a later meeting."""
    meeting = Meeting.objects.create(
        council=taira,
        fiscal_year=2019,
        sequence=1,
        status="held",
        held_on="2019-07-10",
        starts_at="13:30",
        venue="平市民会館",
        attendance=21,
        agenda="支え合いの必要性",
        summary="買い物の困り事が多い",
        needs_found="ごみ出し",
        minutes_status="confirmed",
        version=3,
    )
    meeting.organisations_present.set(OrganisationType.objects.all()[:3])
    first = Opinion.objects.create(
        meeting=meeting, fiscal_year=2019, position=1, kind="need", text="ごみ出しが大変"
    )
    first.help_categories.set(HelpCategory.objects.filter(number__in=[5, 11]))
    second = Opinion.objects.create(
        meeting=meeting,
        fiscal_year=2019,
        position=2,
        text="移動販売の一覧がほしい",
        status="measure",
        response="一覧を配る",
    )
    second.help_categories.set(HelpCategory.objects.filter(number=2))
    FollowUp.objects.create(
        meeting=meeting, action="一覧を作る", assignee="社協", due_on="2019-09-30", position=1
    )
    FollowUp.objects.create(meeting=meeting, action="回覧する", done=True, position=2)
    later_meeting = Meeting.objects.create(council=taira, fiscal_year=2019, sequence=2)
    Opinion.objects.create(
        meeting=later_meeting, fiscal_year=2019, text="ごみ出しの続き", follows=first
    )
    return meeting


def test_a_meeting_deleted_and_restored_in_one_step_comes_back_whole(
    client, coordinator_taira, administrator, rich_meeting
):
    meeting = rich_meeting
    before = describe(meeting)
    later = Opinion.objects.get(text="ごみ出しの続き")
    assert before["version"] == 3 and len(before["m2m:organisations_present"]) == 3

    client.force_login(coordinator_taira)
    assert client.post(reverse("councils:meeting-delete", args=[meeting.pk])).status_code == 302
    later.refresh_from_db()
    assert later.follows_id is None  # SET_NULL at delete

    client.force_login(administrator)
    page = client.get(reverse("deleted-records"))
    assert "意見2件" in page.text and "今後の取組2件" in page.text
    response = client.post(
        restore_url("councils.Meeting", deleted(Meeting, meeting.pk)), {"with_related": "1"}
    )
    assert response.status_code == 302

    assert describe(meeting) == before
    later.refresh_from_db()
    assert later.follows.text == "ごみ出しが大変"
    # Nothing of it is left on the deleted-records page.
    after = client.get(reverse("deleted-records")).context["groups"]
    shown = {(group["name"], item.record.id) for group in after for item in group["records"]}
    opinion_ids = set(Opinion.objects.filter(meeting=meeting).values_list("pk", flat=True))
    assert ("councils.Meeting", meeting.pk) not in shown
    assert not {("councils.Opinion", pk) for pk in opinion_ids} & shown


def test_restoring_the_meeting_alone_leaves_its_opinions_to_restore_later(
    client, coordinator_taira, administrator, rich_meeting
):
    meeting = rich_meeting
    before = describe(meeting)
    remove(meeting)
    client.force_login(administrator)
    client.post(restore_url("councils.Meeting", deleted(Meeting, meeting.pk)))
    assert not meeting.opinions.exists()
    for opinion_id in [row["pk"] for row in before["rows:opinions"]]:
        client.post(restore_url("councils.Opinion", deleted(Opinion, opinion_id)))
    for follow_up_id in [row["pk"] for row in before["rows:follow_ups"]]:
        client.post(restore_url("councils.FollowUp", deleted(FollowUp, follow_up_id)))
    assert describe(meeting) == before


def test_a_deleted_opinion_comes_back_with_its_categories_and_the_links_of_later_opinions(
    client, administrator, rich_meeting
):
    opinion = Opinion.objects.get(text="ごみ出しが大変")
    before = describe(opinion)
    assert len(before["m2m:help_categories"]) == 2 and len(before["rows:followed_by"]) == 1
    remove(opinion)
    client.force_login(administrator)
    client.post(restore_url("councils.Opinion", deleted(Opinion, opinion.pk)))
    assert describe(opinion) == before


def test_a_later_opinion_unlinked_by_the_restore_is_linked_again_when_its_earlier_one_returns(
    client, administrator, rich_meeting
):
    earlier = Opinion.objects.get(text="ごみ出しが大変")
    later = Opinion.objects.get(text="ごみ出しの続き")
    remove(later)
    remove(earlier)
    client.force_login(administrator)
    # The later one first: its earlier opinion is still deleted, so it comes back unlinked...
    response = client.post(restore_url("councils.Opinion", deleted(Opinion, later.pk)), follow=True)
    assert "前回の意見" in response.text
    later.refresh_from_db()
    assert later.follows_id is None
    # ...and the link returns with the earlier one.
    client.post(restore_url("councils.Opinion", deleted(Opinion, earlier.pk)))
    later.refresh_from_db()
    assert later.follows_id == earlier.pk


def test_a_link_someone_changed_since_is_left_as_they_set_it(client, administrator, rich_meeting):
    earlier = Opinion.objects.get(text="ごみ出しが大変")
    later = Opinion.objects.get(text="ごみ出しの続き")
    other = Opinion.objects.create(meeting=rich_meeting, fiscal_year=2019, text="別の意見")
    remove(earlier)
    later.refresh_from_db()
    later.follows = other
    later.save()
    client.force_login(administrator)
    client.post(restore_url("councils.Opinion", deleted(Opinion, earlier.pk)))
    later.refresh_from_db()
    assert later.follows == other


def test_a_supporter_comes_back_with_what_they_can_do(client, administrator):
    group = SupportGroup.objects.get(name="城山")
    supporter = Supporter.objects.create(
        group=group, name="山田 太郎", kana="ヤマダ タロウ", phone="0246-22-1111"
    )
    supporter.help_categories.set(HelpCategory.objects.filter(number__in=[1, 8]))
    before = describe(supporter)
    remove(supporter)
    client.force_login(administrator)
    client.post(restore_url("activities.Supporter", deleted(Supporter, supporter.pk)))
    assert describe(supporter) == before


def test_a_support_group_comes_back_with_its_services_and_reported_counts(
    client, administrator, taira
):
    council = Council.objects.create(name="平 テスト団体", tier=Tier.THIRD, area=taira.area)
    group = SupportGroup.objects.create(
        name="テスト団体", council=council, district_label="平 テスト"
    )
    service = GroupService.objects.create(group=group, position=1, name="電球交換")
    service.help_categories.set(HelpCategory.objects.filter(number=8))
    SupporterCount.objects.create(group=group, count=12, as_of="2019-10-31", source="聞き取り")
    before = describe(group)
    assert before["rows:services"] and before["rows:supporter_counts"]
    AccessRecord.objects.create(action="view", what="サポーター一覧", group=group)
    remove(group)
    client.force_login(administrator)
    client.post(restore_url("activities.SupportGroup", deleted(SupportGroup, group.pk)))
    assert describe(group) == before
    # The access records that named the group name it again.
    assert AccessRecord.objects.filter(group=group).count() == 1


def test_a_council_comes_back_with_its_member_organisations(client, administrator, taira):
    council = Council.objects.create(name="平 テスト団体", tier=Tier.THIRD, area=taira.area)
    for position, kind in enumerate(OrganisationType.objects.all()[:2]):
        Membership.objects.create(council=council, organisation_type=kind, members=position + 2)
    before = describe(council)
    assert len(before["rows:memberships"]) == 2
    remove(council)
    client.force_login(administrator)
    client.post(restore_url("councils.Council", deleted(Council, council.pk)))
    assert describe(council) == before


# --- which deletion the page offers ---------------------------------------------------------


def delete_restore_edit_delete(client, taira):
    """Delete → restore → edit → delete: two deletions of one meeting, the later one newer."""
    meeting = Meeting.objects.create(council=taira, fiscal_year=2019, sequence=5, venue="旧会場")
    remove(meeting)
    client.post(restore_url("councils.Meeting", deleted(Meeting, meeting.pk)))
    meeting.refresh_from_db()
    meeting.venue = "新会場"
    meeting.save()
    remove(meeting)
    return meeting


def test_the_page_lists_only_the_latest_deletion_of_a_record(client, administrator, taira):
    client.force_login(administrator)
    meeting = delete_restore_edit_delete(client, taira)
    groups = client.get(reverse("deleted-records")).context["groups"]
    meetings = next(group for group in groups if group["name"] == "councils.Meeting")
    items = [item for item in meetings["records"] if item.record.id == meeting.pk]
    assert len(items) == 1
    assert items[0].record.venue == "新会場"
    assert items[0].older == 1


def test_an_older_deletion_is_restored_only_on_purpose_with_the_difference_shown(
    client, administrator, taira
):
    client.force_login(administrator)
    meeting = delete_restore_edit_delete(client, taira)
    older = Meeting.history.filter(id=meeting.pk, history_type="-").earliest("history_date")

    # Posted without saying so, the older version is not restored.
    refused = client.post(restore_url("councils.Meeting", older), follow=True)
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert "古い版" in refused.text

    versions = client.get(reverse("deleted-record-versions", args=["councils.Meeting", meeting.pk]))
    assert versions.status_code == 200
    assert "会場" in versions.text and "旧会場" in versions.text and "新会場" in versions.text

    client.post(restore_url("councils.Meeting", older), {"older": "1"})
    assert Meeting.objects.get(pk=meeting.pk).venue == "旧会場"


# --- personal data on these pages -------------------------------------------------------------


def test_the_page_records_its_view_of_deleted_supporters_and_nothing_without_them(
    client, administrator
):
    client.force_login(administrator)
    client.get(reverse("deleted-records"))
    assert not AccessRecord.objects.exists()

    group = SupportGroup.objects.get(name="城山")
    supporter = Supporter.objects.create(group=group, name="山田 太郎")
    remove(supporter)
    page = client.get(reverse("deleted-records"))
    assert "山田 太郎" in page.text
    record = AccessRecord.objects.get()
    assert (record.user, record.action, record.rows, record.group) == (
        administrator,
        "view",
        1,
        group,
    )
    assert record.area == group.council.area
    assert "山田" not in record.what


def test_the_history_says_the_record_was_restored(client, administrator, rich_meeting):
    from audit.history import record_entries

    remove(rich_meeting)
    client.force_login(administrator)
    client.post(restore_url("councils.Meeting", deleted(Meeting, rich_meeting.pk)))
    latest = record_entries(Meeting.history.filter(id=rich_meeting.pk))[0]
    assert (latest.action, latest.who) == ("復元", "admin")
