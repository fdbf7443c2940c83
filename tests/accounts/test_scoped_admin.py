"""The admin asks accounts.access like every page: a staff account that is a coordinator reads
every aggregated record, changes only those of its areas, and sees only its areas' supporters."""

from django.contrib.auth.models import Permission
from django.urls import reverse

from activities.models import Supporter, SupportGroup
from councils.models import Meeting


def make_staff(user, app_label, model):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label=app_label,
            codename__in=[f"{action}_{model}" for action in ("view", "change", "delete")],
        )
    )


def test_a_staff_coordinator_reads_every_meeting_in_the_admin(client, coordinator_taira):
    make_staff(coordinator_taira, "councils", "meeting")
    client.force_login(coordinator_taira)
    response = client.get(reverse("admin:councils_meeting_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == Meeting.objects.count()


def test_a_staff_coordinator_changes_only_the_meetings_of_their_areas(client, coordinator_taira):
    make_staff(coordinator_taira, "councils", "meeting")
    client.force_login(coordinator_taira)
    other = Meeting.objects.exclude(council__area__name="平").first()
    own = Meeting.objects.filter(council__area__name="平").first()

    own_page = client.get(reverse("admin:councils_meeting_change", args=[own.pk]))
    other_page = client.get(reverse("admin:councils_meeting_change", args=[other.pk]))
    assert own_page.context["has_change_permission"] is True
    assert other_page.context["has_change_permission"] is False
    assert client.post(reverse("admin:councils_meeting_change", args=[other.pk])).status_code == 403
    assert (
        client.post(
            reverse("admin:councils_meeting_delete", args=[other.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Meeting.objects.filter(pk=other.pk).exists()


def test_a_staff_coordinator_sees_only_their_areas_supporters_in_the_admin(
    client, coordinator_taira
):
    taira = SupportGroup.objects.filter(council__area__name="平").first()
    onahama = SupportGroup.objects.filter(council__area__name="小名浜").first()
    Supporter.objects.create(group=taira, name="見本 一郎")
    Supporter.objects.create(group=onahama, name="見本 二郎")
    make_staff(coordinator_taira, "activities", "supporter")
    client.force_login(coordinator_taira)
    response = client.get(reverse("admin:activities_supporter_changelist"))
    assert [s.name for s in response.context["cl"].result_list] == ["見本 一郎"]


def test_an_administrator_sees_every_meeting_in_the_admin(client, administrator, data_2017):
    client.force_login(administrator)
    response = client.get(reverse("admin:councils_meeting_changelist"))
    assert response.context["cl"].result_count == Meeting.objects.count()
