"""The admin's import and export (django-import-export) driven as a person does: export a
reference table, upload a file, read the preview, confirm."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.resources import FORMATS

FORMAT_INDEX = {fmt.extension: str(index) for index, fmt in enumerate(FORMATS)}


def admin_url(model, view):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")


def export_file(client, model, fmt="xlsx"):
    response = client.post(
        admin_url(model, "export"), {"format": FORMAT_INDEX[fmt], "resource": "0"}
    )
    assert response.status_code == 200, response.content.decode()[:3000]
    return response.content


def preview(client, model, data, *, fmt="xlsx", name=None):
    upload = SimpleUploadedFile(name or f"file.{fmt}", data)
    return client.post(
        admin_url(model, "import"),
        {"format": FORMAT_INDEX[fmt], "resource": "0", "import_file": upload},
    )


def confirm(client, model, previewed):
    form = previewed.context["confirm_form"]
    assert form is not None, "the preview offers no confirmation"
    return client.post(admin_url(model, "process_import"), dict(form.initial))


def sheet_rows(data):
    """The cells of an exported file's first sheet (xlsx) or of a CSV, as lists as long as
    the header row."""
    from core.spreadsheets import read_rows

    rows = [cells for _, cells in read_rows(data, filename="file.xlsx")]
    width = len(rows[0])
    return [cells + [None] * (width - len(cells)) for cells in rows]


def snapshot(model):
    """Every row of ``model`` with its many-to-many links: equal snapshots, nothing written."""
    from django.core import serializers

    return serializers.serialize("python", model._default_manager.order_by("pk"))
