import copy
import json

from django.contrib import admin, messages
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import SEARCH_VAR
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.decorators import method_decorator
from django.utils.text import capfirst
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from accounts.access import AdministratorImportMixin, ScopedAdminMixin
from activities.forms import SupporterImportForm
from activities.imports import ImportRefused
from activities.models import (
    GroupService,
    ImportSource,
    KeyFigure,
    ProgrammeNote,
    Supporter,
    SupporterCount,
    SupporterImport,
    SupportGroup,
)
from activities.resources import (
    GroupServiceResource,
    KeyFigureResource,
    ProgrammeNoteResource,
    SupporterCountResource,
    SupportGroupResource,
)
from activities.services import (
    ALREADY_CONFIRMED_OR_GONE,
    confirm_import,
    pending_import,
    preview_import,
    record_preview_access,
    record_supporters_access,
)
from audit.models import AccessAction
from core.admin import BoundedInlineMixin, ReferenceImportExportMixin
from core.forms import SEARCH_MAX_LENGTH
from core.http import client_address

# The supporter list's search by name or kana, posted (names never in a URL).
NAME_SEARCH = "_name_search"


def nameless_log_entries(user, supporters, action_flag, message=""):
    """The admin's log entries of changes to ``supporters``, each named 「サポーター #n」."""
    content_type = ContentType.objects.get_for_model(Supporter)
    if isinstance(message, list):
        message = json.dumps(message)
    return LogEntry.objects.bulk_create(
        LogEntry(
            user_id=user.pk,
            content_type_id=content_type.pk,
            object_id=str(supporter.pk),
            object_repr=f"{Supporter._meta.verbose_name} #{supporter.pk}",
            action_flag=action_flag,
            change_message=message,
        )
        for supporter in supporters
    )


class GroupServiceInline(BoundedInlineMixin, admin.TabularInline):
    model = GroupService
    extra = 0
    filter_horizontal = ["help_categories"]


class SupporterCountInline(BoundedInlineMixin, admin.TabularInline):
    model = SupporterCount
    extra = 0


@admin.register(SupportGroup)
class SupportGroupAdmin(
    ScopedAdminMixin, AdministratorImportMixin, ReferenceImportExportMixin, SimpleHistoryAdmin
):
    resource_classes = [SupportGroupResource]
    list_display = ["district_label", "name", "model_number", "council"]
    list_filter = ["council__area__district", "council__area"]
    search_fields = ["name", "district_label", "model_label"]
    # Searched, not listed: at scale a select of every row is a design problem.
    autocomplete_fields = ["council"]
    list_select_related = ["council__area"]
    inlines = [GroupServiceInline, SupporterCountInline]

    def get_deleted_objects(self, objs, request):
        """The deletion page lists what stops it (the group's supporters) by count, not by
        name: an administrator deleting a group needs to know there are supporters, not who."""
        to_delete, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        prefix = f"{capfirst(Supporter._meta.verbose_name)}: "
        supporters = [item for item in protected if str(item).startswith(prefix)]
        if supporters:
            protected = [item for item in protected if not str(item).startswith(prefix)]
            protected.append(
                f"{Supporter._meta.verbose_name} {len(supporters)}人"
                "(個人情報のため氏名は表示しません。サポーターの画面で確かめてください)"
            )
        return to_delete, counts, perms_needed, protected


@admin.register(GroupService)
class GroupServiceAdmin(AdministratorImportMixin, ReferenceImportExportMixin, admin.ModelAdmin):
    resource_classes = [GroupServiceResource]
    list_display = ["name", "group", "status", "position"]
    list_filter = ["status", "help_categories", "group__council__area"]
    search_fields = ["name", "group__name"]
    # Searched, not listed: at scale a select of every row is a design problem.
    autocomplete_fields = ["group"]
    list_select_related = ["group"]
    filter_horizontal = ["help_categories"]


@admin.register(SupporterCount)
class SupporterCountAdmin(AdministratorImportMixin, ReferenceImportExportMixin, admin.ModelAdmin):
    resource_classes = [SupporterCountResource]
    list_display = ["group", "count", "as_of", "source"]
    list_filter = ["as_of"]
    search_fields = ["group__name", "source"]
    # Searched, not listed: at scale a select of every row is a design problem.
    autocomplete_fields = ["group"]
    list_select_related = ["group"]


@admin.register(Supporter)
class SupporterAdmin(AdministratorImportMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    """Supporters (personal data) in the admin: what the staff account may see, every view
    recorded as on the pages, no export.

    "取込" is the import page's flow inside the admin, on the same engine and write path
    (``activities.services``: ``preview_import`` then ``confirm_import``, i.e.
    ``apply_import``): every row and error is shown first, nothing is written until the
    preview is confirmed, and the import is recorded with source "管理サイト".
    """

    list_display = ["name", "kana", "group", "registered_on", "active"]
    list_filter = ["active", "group__council__area"]
    # No search_fields: Django's admin searches with ?q=<words>, which would put names into
    # URLs and server logs (and open the admin's autocomplete by name). The list has its own
    # search posted as a form (NAME_SEARCH), read by get_search_results.
    search_fields = []
    # Searched, not listed: at scale a select of every row is a design problem.
    autocomplete_fields = ["group"]
    list_select_related = ["group__council"]
    filter_horizontal = ["help_categories"]
    import_template = "admin/activities/supporter/import.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="{}_{}_import".format(*info),
            ),
            path(
                "import/confirm/",
                self.admin_site.admin_view(self.import_confirm_view),
                name="{}_{}_import_confirm".format(*info),
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        words = ""
        if request.method == "POST" and NAME_SEARCH in request.POST:
            words = request.POST.get(NAME_SEARCH, "").strip()[:SEARCH_MAX_LENGTH]
            # The list as a GET of the same address (its filters), the words kept server-side.
            request = copy.copy(request)
            request.method = "GET"
            request.POST = QueryDict()
        if SEARCH_VAR in request.GET:
            request = copy.copy(request)
            request.GET = request.GET.copy()
            del request.GET[SEARCH_VAR]
        request.supporter_search = words
        extra_context = {
            **(extra_context or {}),
            "has_import_permission": self.has_import_permission(request),
            "name_search": words,
            "name_search_field": NAME_SEARCH,
            "name_search_max_length": SEARCH_MAX_LENGTH,
        }
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None) or {}
        if response.status_code == 200 and "cl" in context:
            shown = list(context["cl"].result_list)
            what = "管理サイト: サポーターの検索" if words else "管理サイト: サポーター一覧"
            record_supporters_access(request, AccessAction.VIEW, what, shown)
        elif response.status_code == 200 and "deletable_objects" in context:
            # The "delete selected" action's confirmation page lists the chosen supporters.
            chosen = list(context["queryset"].select_related("group__council"))
            record_supporters_access(
                request, AccessAction.VIEW, "管理サイト: サポーターの削除確認", chosen
            )
        return response

    def get_search_results(self, request, queryset, search_term):
        """The posted name search (never ``?q=``, see ``search_fields``)."""
        words = getattr(request, "supporter_search", "")
        return (queryset.matching(words) if words else queryset), False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        self._record_one(request, response, object_id, "管理サイト: サポーターの詳細")
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        self._record_one(request, response, object_id, "管理サイト: サポーターの変更履歴")
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history's template reads onclick_attrib, which its view does not provide.
        extra_context = {"onclick_attrib": "", **(extra_context or {})}
        response = super().history_form_view(request, object_id, version_id, extra_context)
        self._record_one(request, response, object_id, "管理サイト: サポーターの以前の版")
        return response

    def delete_view(self, request, object_id, extra_context=None):
        response = super().delete_view(request, object_id, extra_context)
        self._record_one(request, response, object_id, "管理サイト: サポーターの削除確認")
        return response

    # The admin's log (its index page lists "recent actions" by each entry's object_repr)
    # names a supporter by number, never by name.

    def log_addition(self, request, obj, message):
        return nameless_log_entries(request.user, [obj], ADDITION, message)[0]

    def log_change(self, request, obj, message):
        return nameless_log_entries(request.user, [obj], CHANGE, message)[0]

    def log_deletions(self, request, queryset):
        return nameless_log_entries(request.user, queryset, DELETION)

    def _record_one(self, request, response, object_id, what):
        """A page that showed one supporter (not a redirect after saving, not a 404)."""
        if response.status_code != 200:
            return
        supporter = self.get_queryset(request).filter(pk=unquote(object_id)).first()
        if supporter is not None:
            record_supporters_access(request, AccessAction.VIEW, what, [supporter])

    # --- import, on the import page's engine

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = SupporterImportForm(request.POST or None, request.FILES or None, user=request.user)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "サポーター名簿の取込",
            "form": form,
            "result": None,
        }
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            result, pending = preview_import(
                upload.read(),
                user=request.user,
                file_name=upload.name,
                default_group=form.cleaned_data["group"],
                encoding=form.cleaned_data["encoding"] or None,
                sheet=form.cleaned_data["sheet"] or None,
                blank_clears=form.blank_clears,
                end_missing=form.cleaned_data["end_missing"],
            )
            context.update(
                result=result,
                pending=pending,
                file_name=upload.name,
                rows=result.preview_rows(),
                counts=result.count_rows(),
            )
            record_preview_access(request, result, "管理サイト: サポーター名簿の取込(確認)")
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.import_template, context)

    @method_decorator(require_POST)
    def import_confirm_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        pending = pending_import(request.user, request.POST.get("token", ""))
        if pending is None:
            # A second click, or a preview purged after 12 hours: say so, not a bare 404.
            messages.error(request, ALREADY_CONFIRMED_OR_GONE)
            return redirect("admin:activities_supporterimport_changelist")
        try:
            record = confirm_import(
                pending,
                user=request.user,
                source=ImportSource.ADMIN,
                address=client_address(request),
            )
        except ImportRefused as error:
            messages.error(request, str(error))
            return redirect("admin:activities_supporter_import")
        messages.success(
            request,
            f"取り込みました: 新規 {record.created}件、更新 {record.updated}件、"
            f"変更なし {record.unchanged}件、登録終了 {record.ended}件。",
        )
        return redirect("admin:activities_supporterimport_change", record.pk)


@admin.register(SupporterImport)
class SupporterImportAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: the record of an import is evidence."""

    list_display = [
        "at",
        "user",
        "source",
        "file_name",
        "rows",
        "created",
        "updated",
        "unchanged",
        "ended",
    ]
    list_filter = ["source", "groups__council__area"]
    search_fields = ["file_name", "checksum"]
    list_select_related = ["user"]

    def get_queryset(self, request):
        # As on the site: only imports whose every group the user may see.
        queryset = super().get_queryset(request)
        return queryset.filter(pk__in=SupporterImport.objects.visible_to(request.user).values("pk"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(KeyFigure)
class KeyFigureAdmin(AdministratorImportMixin, ReferenceImportExportMixin, admin.ModelAdmin):
    resource_classes = [KeyFigureResource]
    list_display = [
        "label",
        "report_year",
        "category",
        "display_value",
        "unit",
        "as_of_text",
        "source",
    ]
    list_filter = ["report_year", "category"]
    search_fields = ["label", "source", "note"]

    @admin.display(description="値")
    def display_value(self, obj):
        return obj.display_value


@admin.register(ProgrammeNote)
class ProgrammeNoteAdmin(AdministratorImportMixin, ReferenceImportExportMixin, admin.ModelAdmin):
    resource_classes = [ProgrammeNoteResource]
    list_display = ["topic", "report_year", "position", "__str__"]
    list_filter = ["report_year", "topic"]
    search_fields = ["text"]
