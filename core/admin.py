"""The admin's import and export of reference tables (django-import-export), in Japanese.

``ReferenceImportExportMixin`` is the library's ``ImportExportMixin`` with its normal two steps
on: the file is read and imported in a transaction that is rolled back (the preview: every row
as new, changed or unchanged, with what changes), and only "取り込む" imports it for real.
The resources are ``core.resources.ReferenceResource`` subclasses; the formats xlsx and CSV.

Nobody may import until an app says who may: ``has_import_permission`` is False here
(``accounts.access.AdministratorImportMixin`` grants it to administrators).
"""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from import_export.admin import ImportExportMixin
from import_export.forms import ExportForm
from import_export.results import RowResult
from import_export.signals import post_export

from core.exports import content_disposition, export_filename
from core.resources import FORMATS
from core.spreadsheets import SpreadsheetError


class ReferenceImportExportMixin(ImportExportMixin):
    import_formats = FORMATS
    export_formats = FORMATS
    # Every column, always: a file exported here can be imported back as it is.
    export_form_class = ExportForm
    import_template_name = "admin/import_export/reference_import.html"
    import_error_display = ("message",)

    def has_import_permission(self, request):
        return False

    def import_url(self):
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_import")

    def get_export_context_data(self, **kwargs):
        # The library's export page posts to {{ export_url }}, which only its "export
        # selected" action sets; here it is always this page.
        opts = self.model._meta
        export_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_export")
        return {**super().get_export_context_data(**kwargs), "export_url": export_url}

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, SpreadsheetError):
            form.add_error("import_file", str(e))
        else:
            form.add_error(
                "import_file",
                "ファイルを読めませんでした。Excelのブック（.xlsx）かCSV（.csv）を選び、"
                "形式の選択がファイルと合っているか確かめてください。",
            )

    def process_import(self, request, **kwargs):
        try:
            return super().process_import(request, **kwargs)
        except (OSError, SpreadsheetError):
            # The previewed file is kept in a temporary folder until confirmed; it may be gone
            # (a second click, a restart). Nothing has been written.
            messages.error(
                request,
                "確認した取込ファイルが見つかりません。何も取り込んでいません。"
                "もう一度ファイルを選んでください。",
            )
            return HttpResponseRedirect(self.import_url())

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # The data changed between the preview and the confirmation; rolled back.
            messages.error(
                request,
                "確認の後にデータが変わったため取り込めませんでした。何も書き込んでいません。"
                "もう一度ファイルを選んで確認してください。",
            )
            return HttpResponseRedirect(self.import_url())
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        totals = result.totals
        messages.success(
            request,
            f"{self.model._meta.verbose_name_plural}を取り込みました: "
            f"新規 {totals[RowResult.IMPORT_TYPE_NEW]}件、"
            f"更新 {totals[RowResult.IMPORT_TYPE_UPDATE]}件、"
            f"変更なし {totals[RowResult.IMPORT_TYPE_SKIP]}件。",
        )

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        data = self.get_export_data(file_format, request, queryset, export_form=export_form)
        response = HttpResponse(data, content_type=file_format.get_content_type())
        name = export_filename(str(self.model._meta.verbose_name_plural), file_format.extension)
        # The ASCII fallback names the table too (activities-supportgroup_20261130.xlsx).
        ascii_name = export_filename(
            f"{self.model._meta.app_label}-{self.model._meta.model_name}", file_format.extension
        )
        response["Content-Disposition"] = content_disposition(name, ascii_name)
        post_export.send(sender=None, model=self.model)
        return response


# The most rows an inline of the admin shows or accepts: more than any record has (13 areas
# in a district, a meeting's opinions), few enough that a forged post cannot hold a worker.
INLINE_MAX_ROWS = 100


class BoundedInlineMixin:
    """An admin inline whose formset builds at most ``INLINE_MAX_ROWS`` forms, whatever the
    posted TOTAL_FORMS says (Django's default would build up to 2,000)."""

    max_num = INLINE_MAX_ROWS

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("absolute_max", INLINE_MAX_ROWS)
        return super().get_formset(request, obj, **kwargs)
