"""The site's one permission matrix: every URL name × persona × GET/POST → the status each gets.

One entry per URL name in MATRIX (the admin's URLs aside: the admin has its own guard, see
tests/accounts/test_scoped_admin.py). A new URL without an entry fails
``test_every_url_is_in_the_matrix``: add a line such as

    "app:thing-list": Case(lambda o: reverse("app:thing-list"), get=READ, post=NO_POST),

where each tuple lists the status for the PERSONAS, in order. ``o`` gives the objects to build
the URL from (see Objects): they are 平's, so the coordinator of 小名浜 meets a record outside
their areas (404, as if it did not exist) and the headquarters coordinator one inside.
POSTs send no data: they prove who gets past the access check, not what a form accepts.
Anonymous visitors are sent to the login page; a signed-in account with no role gets 403.
EXPORTS does the same for the downloads a page offers, which must follow the page's guard.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from activities.models import ImportSource, Supporter, SupporterImport, SupportGroup
from coordinators.models import CalendarToken, Coordinator
from councils.models import Area, Council, FollowUp, Meeting, Opinion
from directory.models import Entry
from journal.models import ActivityKind, JournalEntry
from needs_survey.models import Survey

PERSONAS = (
    "administrator",
    "city_staff",
    "coordinator_taira",  # covers 平
    "coordinator_onahama",  # covers 小名浜
    "coordinator_hq",  # headquarters: covers every area
    "no_role",  # signed in, but neither staff nor coordinator nor administrator
    "anonymous",
)

# Common rows, in PERSONAS order:   admin staff  平   小名浜 HQ  no role anonymous
READ = (200, 200, 200, 200, 200, 403, 302)  # any member of the programme reads
NO_POST = (405, 405, 405, 405, 405, 403, 302)  # a read-only page: the guard answers first
NO_POST_ANYWHERE = (405,) * 7  # the method is refused before anyone is asked who they are
# A record of 平: whoever may change it; the rest find nothing (the meeting pages ask only for
# a signed-in account and then look the record up within the user's scope, hence no role: 404).
EDIT_TAIRA = (200, 404, 200, 404, 200, 403, 302)  # a record of 平: outside your scope is 404
# Logging a meeting of 平: city staff log none (403), 小名浜's coordinator not 平's (404).
LOG_TAIRA = (200, 403, 200, 404, 200, 403, 302)
PERSONAL_DATA = (200, 403, 200, 200, 200, 403, 302)  # supporters' lists: never city staff
PERSONAL_DATA_TAIRA = (200, 403, 200, 404, 200, 403, 302)  # a record with 平's personal data
EDITORS = (200, 403, 200, 200, 200, 403, 302)  # entry pages: coordinators and administrators
REDIRECT = (302, 302, 302, 302, 302, 403, 302)
PLANNERS = (200, 200, 403, 403, 403, 403, 302)  # the year's plan: city staff and administrators
PLANNERS_EMPTY_POST = (400, 400, 403, 403, 403, 403, 302)  # an empty form: refused, nothing written
ADMIN_ONLY = (200, 404, 404, 404, 404, 404, 302)
# The year's report is the city's: administrators and city staff write its texts and figures.
REPORT_WRITERS = (200, 200, 403, 403, 403, 403, 302)
# A coordinator's own yearly note (平's): that coordinator and administrators; to others it is
# not there (404), as a record outside their scope.
OWN_PLACEMENT_TAIRA = (200, 404, 200, 404, 404, 403, 302)
FEED = (200,) * 7  # the secret URL is the credential, not the session
PUBLIC = (200,) * 7  # the public directory: no sign-in, the same page for everyone
# Confirming an entry of 平 (最終確認日): those who may change it; city staff change nothing.
CONFIRM_TAIRA = (302, 403, 302, 404, 302, 403, 302)
EDITORS_ONLY_POST = (405, 403, 405, 405, 405, 403, 302)  # a POST-only action of editors
# Publishing an entry of 平: its coordinators, administrators, and city staff (every entry).
PUBLISH_TAIRA = (302, 302, 302, 404, 302, 403, 302)
PUBLISHERS_ONLY_POST = (405, 405, 405, 405, 405, 403, 302)


class Objects:
    """The records the URLs point at, looked up lazily from the 2017 data."""

    def __init__(self, token):
        self.token = token

    @property
    def taira_meeting(self):
        return Meeting.objects.get(council__name="平 第2層協議体", fiscal_year=2017, sequence=1)

    @property
    def taira_opinion(self):
        return Opinion.objects.create(meeting=self.taira_meeting, fiscal_year=2017, text="意見")

    @property
    def taira_follow_up(self):
        return FollowUp.objects.create(meeting=self.taira_meeting, action="取組")

    @property
    def taira_area(self):
        return Area.objects.get(name="平")

    @property
    def taira_council(self):
        return Council.objects.get(name="平 第2層協議体")

    @property
    def taira_group(self):
        return SupportGroup.objects.get(name="城山")

    @property
    def taira_import(self):
        record = SupporterImport.objects.create(
            source=ImportSource.WEB, file_name="城山.xlsx", checksum="0" * 64
        )
        record.groups.add(self.taira_group)
        return record

    @property
    def taira_survey(self):
        return Survey.objects.get_or_create(council=self.taira_council, fiscal_year=2017)[0]

    @property
    def taira_supporter(self):
        # get_or_create: a walk over every page (test_page_titles) asks for it more than once.
        return Supporter.objects.get_or_create(group=self.taira_group, name="山田 太郎")[0]

    @property
    def deleted_meeting_id(self):
        meeting = Meeting.objects.create(council=self.taira_council, fiscal_year=2030, sequence=1)
        Meeting.objects.filter(pk=meeting.pk).delete()
        return meeting.pk

    @property
    def taira_coordinator(self):
        return Coordinator.objects.get(placement="平地区協議会")

    @property
    def taira_directory_entry(self):
        """The directory entry of 城山 (平), published so that its public page exists."""
        entry = Entry.objects.get(support_group__name="城山")
        Entry.objects.filter(pk=entry.pk).update(is_published=True)
        return entry

    @property
    def taira_entry(self):
        entry = JournalEntry.objects.create(
            coordinator=self.taira_coordinator,
            done_on="2017-08-01",
            kind=ActivityKind.VISIT,
            summary="城山のサロンを訪問",
        )
        entry.areas.add(self.taira_area)
        return entry


Row = tuple[int, int, int, int, int, int, int]


@dataclass
class Case:
    url: Callable[[Objects], str]
    get: Row
    post: Row
    # Anonymous visitors' 302 goes to the login page, unless the page redirects everyone.
    anonymous_to_login: bool = True


MATRIX: dict[str, Case] = {
    # reports, accounts, audit
    "home": Case(lambda o: reverse("home"), get=READ, post=NO_POST),
    "status": Case(lambda o: reverse("status"), get=READ, post=NO_POST),
    "outcomes": Case(lambda o: reverse("outcomes"), get=READ, post=NO_POST),
    "report-index": Case(lambda o: reverse("report-index"), get=READ, post=NO_POST),
    "report": Case(lambda o: reverse("report", args=[2017]), get=READ, post=NO_POST),
    "survey": Case(lambda o: reverse("survey", args=[2017]), get=READ, post=NO_POST),
    "plan-ahead-edit": Case(
        lambda o: reverse("plan-ahead-edit", args=[2017]),
        get=REPORT_WRITERS,
        post=REPORT_WRITERS,  # an empty text comes back with its error
    ),
    "main-opinions-edit": Case(
        lambda o: reverse("main-opinions-edit", args=[2017]),
        get=REPORT_WRITERS,
        post=(302, 302, 403, 403, 403, 403, 302),  # choosing none is a choice
    ),
    "keyfigure-create": Case(
        lambda o: reverse("keyfigure-create", args=[2017]),
        get=REPORT_WRITERS,
        post=REPORT_WRITERS,  # an empty form comes back with its errors
    ),
    "keyfigure-edit": Case(
        lambda o: reverse("keyfigure-edit", args=[2018, "population"]),
        get=REPORT_WRITERS,
        post=REPORT_WRITERS,
    ),
    "login": Case(
        lambda o: reverse("login"),
        get=(302, 302, 302, 302, 302, 302, 200),
        post=(302, 302, 302, 302, 302, 302, 200),
        anonymous_to_login=False,
    ),
    "logout": Case(
        lambda o: reverse("logout"),
        get=NO_POST_ANYWHERE,
        post=(302,) * 7,
        anonymous_to_login=False,
    ),
    # Any account changes its own password, with a role or without.
    "password_change": Case(
        lambda o: reverse("password_change"), get=(200,) * 6 + (302,), post=(200,) * 6 + (302,)
    ),
    "password_change_done": Case(
        lambda o: reverse("password_change_done"),
        get=(200,) * 6 + (302,),
        post=(405,) * 6 + (302,),
    ),
    "deleted-records": Case(
        lambda o: reverse("deleted-records"),
        get=ADMIN_ONLY,
        post=(405, 404, 404, 404, 404, 404, 302),
    ),
    "accessrecord-list": Case(
        lambda o: reverse("accessrecord-list"),
        get=ADMIN_ONLY,
        post=(405, 404, 404, 404, 404, 404, 302),
    ),
    "restore-record": Case(
        # No such deleted record: the administrator gets past the check and finds nothing.
        lambda o: reverse("restore-record", args=["councils.Meeting", 999999]),
        get=NO_POST_ANYWHERE,
        post=(404, 404, 404, 404, 404, 404, 302),
    ),
    "deleted-record-versions": Case(
        lambda o: reverse(
            "deleted-record-versions", args=["councils.Meeting", o.deleted_meeting_id]
        ),
        get=ADMIN_ONLY,
        post=(405, 404, 404, 404, 404, 404, 302),
    ),
    # councils
    "councils:schedule-current": Case(
        lambda o: reverse("councils:schedule-current"), get=REDIRECT, post=REDIRECT
    ),
    "councils:schedule": Case(
        lambda o: reverse("councils:schedule", args=[2017]), get=READ, post=NO_POST
    ),
    "councils:plan-create": Case(
        lambda o: f"{reverse('councils:plan-create')}?fiscal_year=2018",
        get=PLANNERS,
        post=PLANNERS_EMPTY_POST,
    ),
    "councils:plan-update": Case(
        lambda o: reverse("councils:plan-update", args=[2017]),
        get=PLANNERS,
        post=PLANNERS_EMPTY_POST,
    ),
    "councils:council-list": Case(
        lambda o: reverse("councils:council-list"), get=READ, post=NO_POST
    ),
    "councils:council-detail": Case(
        lambda o: o.taira_council.get_absolute_url(), get=READ, post=NO_POST
    ),
    "councils:area-detail": Case(lambda o: o.taira_area.get_absolute_url(), get=READ, post=NO_POST),
    "councils:meeting-list": Case(
        lambda o: reverse("councils:meeting-list"), get=READ, post=NO_POST
    ),
    "councils:meeting-detail": Case(
        lambda o: o.taira_meeting.get_absolute_url(), get=READ, post=NO_POST
    ),
    "councils:meeting-create": Case(
        lambda o: f"{reverse('councils:meeting-create')}?council={o.taira_meeting.council_id}",
        get=LOG_TAIRA,
        post=LOG_TAIRA,
    ),
    "councils:meeting-update": Case(
        lambda o: reverse("councils:meeting-update", args=[o.taira_meeting.pk]),
        get=EDIT_TAIRA,
        post=EDIT_TAIRA,
    ),
    "councils:meeting-delete": Case(
        lambda o: reverse("councils:meeting-delete", args=[o.taira_meeting.pk]),
        get=EDIT_TAIRA,
        post=(302, 404, 302, 404, 302, 403, 302),
    ),
    "councils:opinion-list": Case(
        lambda o: reverse("councils:opinion-list"), get=READ, post=NO_POST
    ),
    "councils:opinion-response": Case(
        lambda o: reverse("councils:opinion-response", args=[o.taira_opinion.pk]),
        get=EDIT_TAIRA,
        post=(400, 404, 400, 404, 400, 403, 302),  # an empty form is refused, nothing written
    ),
    "councils:followup-list": Case(
        lambda o: reverse("councils:followup-list"), get=READ, post=NO_POST
    ),
    "councils:followup-done": Case(
        lambda o: reverse("councils:followup-done", args=[o.taira_follow_up.pk]),
        get=NO_POST_ANYWHERE,
        post=(302, 404, 302, 404, 302, 403, 302),  # an empty form: back with a message
    ),
    # coordinators
    "coordinators:coordinator-list": Case(
        lambda o: reverse("coordinators:coordinator-list"), get=READ, post=NO_POST
    ),
    "coordinators:coordinator-detail": Case(
        lambda o: o.taira_coordinator.get_absolute_url(), get=READ, post=NO_POST
    ),
    "coordinators:calendar": Case(
        lambda o: reverse("coordinators:calendar"), get=READ, post=NO_POST
    ),
    "coordinators:calendar-reset": Case(
        lambda o: reverse("coordinators:calendar-reset"),
        get=NO_POST_ANYWHERE,
        post=REDIRECT,
    ),
    "coordinators:calendar-coordinator": Case(
        lambda o: reverse(
            "coordinators:calendar-coordinator", args=[o.token, o.taira_coordinator.pk]
        ),
        get=FEED,
        post=NO_POST_ANYWHERE,
    ),
    "coordinators:calendar-area": Case(
        lambda o: reverse("coordinators:calendar-area", args=[o.token, o.taira_area.pk]),
        get=FEED,
        post=NO_POST_ANYWHERE,
    ),
    # activities
    "activities:supportgroup-list": Case(
        lambda o: reverse("activities:supportgroup-list"), get=READ, post=NO_POST
    ),
    "activities:supportgroup-detail": Case(
        lambda o: o.taira_group.get_absolute_url(), get=READ, post=NO_POST
    ),
    "activities:supporter-list": Case(
        lambda o: reverse("activities:supporter-list"),
        get=PERSONAL_DATA,
        post=PERSONAL_DATA,  # a search without words shows the list
    ),
    "activities:supporter-detail": Case(
        lambda o: o.taira_supporter.get_absolute_url(),
        get=PERSONAL_DATA_TAIRA,
        post=(405, 403, 405, 405, 405, 403, 302),
    ),
    "activities:supporter-update": Case(
        lambda o: reverse("activities:supporter-update", args=[o.taira_supporter.pk]),
        get=PERSONAL_DATA_TAIRA,
        post=PERSONAL_DATA_TAIRA,  # nothing posted: the form comes back with its errors
    ),
    "activities:supporter-end": Case(
        lambda o: reverse("activities:supporter-end", args=[o.taira_supporter.pk]),
        get=PERSONAL_DATA_TAIRA,
        # nothing posted (no version): refused with a message, back to the supporter
        post=(302, 403, 302, 404, 302, 403, 302),
    ),
    "activities:supporter-resume": Case(
        lambda o: reverse("activities:supporter-resume", args=[o.taira_supporter.pk]),
        # the supporter is registered: nothing to resume, back to the supporter's page
        get=(302, 403, 302, 404, 302, 403, 302),
        post=(302, 403, 302, 404, 302, 403, 302),
    ),
    "activities:supporterimport-create": Case(
        lambda o: reverse("activities:supporterimport-create"),
        get=PERSONAL_DATA,
        post=PERSONAL_DATA,  # an empty form comes back with its errors
    ),
    "activities:supporterimport-confirm": Case(
        lambda o: reverse("activities:supporterimport-confirm"),
        get=NO_POST_ANYWHERE,
        # no preview to confirm: a message on the import records
        post=(302, 403, 302, 302, 302, 403, 302),
    ),
    "activities:supporterimport-template": Case(
        lambda o: reverse("activities:supporterimport-template"),
        get=PERSONAL_DATA,
        post=NO_POST_ANYWHERE,
    ),
    "activities:supporterimport-list": Case(
        lambda o: reverse("activities:supporterimport-list"),
        get=PERSONAL_DATA,
        post=NO_POST_ANYWHERE,
    ),
    "activities:supporterimport-detail": Case(
        lambda o: reverse("activities:supporterimport-detail", args=[o.taira_import.pk]),
        get=PERSONAL_DATA_TAIRA,
        post=NO_POST_ANYWHERE,
    ),
    # journal
    "journal:entry-list": Case(lambda o: reverse("journal:entry-list"), get=READ, post=NO_POST),
    "journal:entry-create": Case(
        lambda o: reverse("journal:entry-create"),
        get=EDITORS,  # city staff keep no journal
        post=EDITORS,  # an empty form comes back with its errors
    ),
    "journal:entry-detail": Case(
        lambda o: o.taira_entry.get_absolute_url(), get=READ, post=NO_POST
    ),
    "journal:entry-update": Case(
        lambda o: reverse("journal:entry-update", args=[o.taira_entry.pk]),
        get=EDIT_TAIRA,
        post=EDIT_TAIRA,
    ),
    "journal:entry-delete": Case(
        lambda o: reverse("journal:entry-delete", args=[o.taira_entry.pk]),
        get=EDIT_TAIRA,
        post=(302, 404, 302, 404, 302, 403, 302),
    ),
    "journal:summary-current": Case(
        lambda o: reverse("journal:summary-current"), get=REDIRECT, post=NO_POST
    ),
    "journal:summary": Case(
        lambda o: reverse("journal:summary", args=[2017]), get=READ, post=NO_POST
    ),
    "journal:yearnote-edit": Case(
        lambda o: reverse("journal:yearnote-edit", args=[2017, o.taira_coordinator.pk]),
        get=OWN_PLACEMENT_TAIRA,
        post=OWN_PLACEMENT_TAIRA,  # an empty text comes back with its error
    ),
    # needs_survey
    "needs_survey:survey-list": Case(
        lambda o: reverse("needs_survey:survey-list"), get=READ, post=NO_POST
    ),
    "needs_survey:survey-create": Case(
        lambda o: reverse("needs_survey:survey-create"),
        get=EDITORS,  # city staff enter no surveys
        post=EDITORS,  # an empty form comes back with its errors
    ),
    "needs_survey:survey-detail": Case(
        lambda o: reverse("needs_survey:survey-detail", args=[o.taira_survey.pk]),
        get=READ,
        post=NO_POST,
    ),
    "needs_survey:survey-update": Case(
        lambda o: reverse("needs_survey:survey-update", args=[o.taira_survey.pk]),
        get=EDIT_TAIRA,
        post=EDIT_TAIRA,
    ),
    "needs_survey:survey-matrix": Case(
        lambda o: reverse("needs_survey:survey-matrix"), get=READ, post=NO_POST
    ),
    "needs_survey:survey-compare": Case(
        lambda o: reverse("needs_survey:survey-compare"), get=READ, post=NO_POST
    ),
    "needs_survey:survey-can-do": Case(
        lambda o: reverse("needs_survey:survey-can-do"), get=READ, post=NO_POST
    ),
    "needs_survey:survey-import": Case(
        lambda o: reverse("needs_survey:survey-import"), get=EDITORS, post=EDITORS
    ),
    "needs_survey:survey-import-confirm": Case(
        lambda o: reverse("needs_survey:survey-import-confirm"),
        get=NO_POST_ANYWHERE,
        post=(404, 403, 404, 404, 404, 403, 302),  # no preview to confirm
    ),
    # directory: public pages (no sign-in) and keeping the entries current
    "directory:public-home": Case(
        lambda o: reverse("directory:public-home"), get=PUBLIC, post=NO_POST_ANYWHERE
    ),
    "directory:public-category": Case(
        lambda o: reverse("directory:public-category", args=[5]), get=PUBLIC, post=NO_POST_ANYWHERE
    ),
    "directory:public-area": Case(
        lambda o: reverse("directory:public-area", args=[o.taira_area.pk]),
        get=PUBLIC,
        post=NO_POST_ANYWHERE,
    ),
    "directory:public-booklet": Case(
        lambda o: reverse("directory:public-booklet", args=[o.taira_area.pk]),
        get=PUBLIC,
        post=NO_POST_ANYWHERE,
    ),
    "directory:public-search": Case(
        lambda o: f"{reverse('directory:public-search')}?area={o.taira_area.pk}&category=5",
        get=PUBLIC,
        post=NO_POST_ANYWHERE,
    ),
    "directory:public-entry": Case(
        lambda o: o.taira_directory_entry.get_public_url(), get=PUBLIC, post=NO_POST_ANYWHERE
    ),
    "directory:public-about": Case(
        lambda o: reverse("directory:public-about"), get=PUBLIC, post=NO_POST_ANYWHERE
    ),
    "directory:public-csv": Case(
        lambda o: reverse("directory:public-csv"), get=PUBLIC, post=NO_POST_ANYWHERE
    ),
    "directory:public-hsds": Case(
        lambda o: reverse("directory:public-hsds"), get=PUBLIC, post=NO_POST_ANYWHERE
    ),
    "directory:entry-list": Case(lambda o: reverse("directory:entry-list"), get=READ, post=NO_POST),
    "directory:entry-detail": Case(
        lambda o: o.taira_directory_entry.get_absolute_url(), get=READ, post=NO_POST
    ),
    "directory:entry-create": Case(
        lambda o: reverse("directory:entry-create"),
        get=EDITORS,  # city staff change nothing
        post=EDITORS,  # an empty form comes back with its errors
    ),
    "directory:entry-update": Case(
        lambda o: reverse("directory:entry-update", args=[o.taira_directory_entry.pk]),
        get=LOG_TAIRA,
        post=LOG_TAIRA,
    ),
    "directory:entry-confirm": Case(
        lambda o: reverse("directory:entry-confirm", args=[o.taira_directory_entry.pk]),
        get=EDITORS_ONLY_POST,
        post=CONFIRM_TAIRA,
    ),
    "directory:entry-publish": Case(
        lambda o: reverse("directory:entry-publish", args=[o.taira_directory_entry.pk]),
        get=PUBLISHERS_ONLY_POST,
        post=PUBLISH_TAIRA,
    ),
    "directory:entry-unpublish": Case(
        lambda o: reverse("directory:entry-unpublish", args=[o.taira_directory_entry.pk]),
        get=PUBLISHERS_ONLY_POST,
        post=PUBLISH_TAIRA,
    ),
    "directory:needs-supply": Case(
        lambda o: reverse("directory:needs-supply"), get=READ, post=NO_POST
    ),
    "directory:office-list": Case(
        lambda o: reverse("directory:office-list"), get=READ, post=NO_POST
    ),
    "directory:office-update": Case(
        lambda o: reverse("directory:office-update", args=[o.taira_coordinator.pk]),
        get=LOG_TAIRA,
        post=LOG_TAIRA,  # nothing posted: the form comes back
    ),
}

# The downloads pages offer: (URL name, method, query or form data). Each answers as its page
# in MATRIX does, and where the page opens, with a file rather than the page.
EXPORTS = [
    ("status", "get", {"_export": "xlsx"}),
    ("status", "get", {"_export": "csv", "encoding": "cp932"}),
    ("councils:schedule", "get", {"_export": "csv"}),
    ("councils:council-list", "get", {"_export": "xlsx"}),
    ("coordinators:coordinator-list", "get", {"_export": "xlsx"}),
    ("activities:supportgroup-list", "get", {"_export": "xlsx"}),
    ("activities:supporter-list", "post", {"_export": "xlsx"}),
    ("needs_survey:survey-matrix", "get", {"_export": "xlsx"}),
    ("accessrecord-list", "get", {"_export": "xlsx"}),
    ("directory:entry-list", "get", {"_export": "xlsx"}),
    ("report", "get", {"_export": "xlsx"}),
    ("survey", "get", {"_export": "xlsx"}),
    ("journal:entry-list", "get", {"_export": "xlsx"}),
]

# URL namespaces that are not ours to test here.
EXCLUDED_NAMESPACES = {"admin"}


def url_patterns(resolver=None, namespace=None):
    """{full URL name: view} for every named URL of the site, the admin's left out."""
    resolver = resolver or get_resolver()
    found = {}
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if pattern.namespace in EXCLUDED_NAMESPACES:
                continue
            prefix = f"{namespace}:" if namespace and pattern.namespace else ""
            found |= url_patterns(pattern, f"{prefix}{inner}" if inner else None)
        elif isinstance(pattern, URLPattern) and pattern.name:
            found[f"{namespace}:{pattern.name}" if namespace else pattern.name] = pattern.callback
    return found


def url_names():
    return set(url_patterns())


@pytest.fixture
def objects(coordinator_taira):
    return Objects(CalendarToken.for_user(coordinator_taira).token)


def sign_in(request, client, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))


def test_every_url_is_in_the_matrix():
    missing = url_names() - MATRIX.keys()
    assert not missing, f"add these URL names to MATRIX in {__file__}: {sorted(missing)}"


def test_the_matrix_has_no_stale_entries():
    assert not MATRIX.keys() - url_names()


def test_every_export_is_of_a_page_in_the_matrix():
    assert {name for name, _, _ in EXPORTS} <= MATRIX.keys()


# Guards are Python (accounts.access); the querysets they scope by are tested on both
# databases elsewhere. 1,300 requests: run once, in CI's SQLite pass.
@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(request, client, data_2017, objects, name, persona, method):
    sign_in(request, client, persona)
    case = MATRIX[name]
    expected = getattr(case, method)[PERSONAS.index(persona)]
    response = getattr(client, method)(case.url(objects))
    assert response.status_code == expected, f"{method.upper()} {name} as {persona}"
    if persona == "anonymous" and expected == 302 and case.anonymous_to_login:
        assert response["Location"].startswith(reverse(settings.LOGIN_URL)), name


@pytest.mark.slow  # as the matrix above
@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("name", "method", "data"),
    EXPORTS,
    ids=[f"{name}-{method}-{'-'.join(data.values())}" for name, method, data in EXPORTS],
)
def test_exports_follow_the_guard_of_their_page(
    request, client, data_2017, objects, name, method, data, persona
):
    sign_in(request, client, persona)
    case = MATRIX[name]
    expected = getattr(case, method)[PERSONAS.index(persona)]
    response = getattr(client, method)(case.url(objects), data)
    assert response.status_code == expected, f"{name} {data} as {persona}"
    if expected == 200:
        assert response["Content-Disposition"].startswith("attachment"), name
    elif persona == "anonymous":
        assert response["Location"].startswith(reverse(settings.LOGIN_URL)), name


def test_an_inactive_account_is_treated_as_anonymous(client, city_staff, data_2017):
    client.force_login(city_staff)
    city_staff.is_active = False
    city_staff.save()
    response = client.get(reverse("status"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_url_names_reads_namespaces_and_leaves_out_the_admin():
    names = url_names()
    assert "councils:meeting-list" in names
    assert "login" in names
    assert not any(name.startswith("admin:") for name in names)
