"""Coordinator placements as a spreadsheet for the admin (core.resources): named by placement,
their areas by name. The login account is not part of the file: accounts are given in the
admin or by the account commands, never by a spreadsheet."""

from coordinators.models import Coordinator
from core.resources import ReferenceResource


class CoordinatorResource(ReferenceResource):
    constraint_messages = {
        "coordinators_coordinator_district_or_supervisor": (
            "district",
            "全圏域を統括するコーディネーターは地区を空欄に、ほかのコーディネーターは地区を"
            "書いてください。",
        ),
    }

    class Meta:
        model = Coordinator
        fields = [
            "number",
            "placement",
            "tier",
            "district",
            "areas",
            "coverage_label",
            "supervises_all",
            "since",
        ]
        import_id_fields = ["placement"]
