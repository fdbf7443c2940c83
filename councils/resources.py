"""The reference tables of the councils app as spreadsheets for the admin (core.resources).

Each record is named by its natural key, as in the fixtures: a district, area, organisation
type or council by its name, a membership by council and organisation type, a schedule phase
by fiscal year and position.
"""

from core.resources import ReferenceResource
from councils.models import Area, Council, District, Membership, OrganisationType, SchedulePhase


class DistrictResource(ReferenceResource):
    class Meta:
        model = District
        fields = ["name", "position"]
        import_id_fields = ["name"]


class AreaResource(ReferenceResource):
    class Meta:
        model = Area
        fields = ["name", "district", "position"]
        import_id_fields = ["name"]


class OrganisationTypeResource(ReferenceResource):
    class Meta:
        model = OrganisationType
        fields = ["name", "position"]
        import_id_fields = ["name"]


class CouncilResource(ReferenceResource):
    constraint_messages = {
        "councils_council_area_matches_tier": (
            "area",
            "第1層の協議体は圏域を空欄に、第2層・第3層の協議体は圏域を書いてください。",
        ),
        "councils_council_date_only_when_established": (
            "established_on",
            "設置日は「設置済み」が「はい」のときだけ書けます。",
        ),
        "councils_council_one_tier2_per_area": (
            "area",
            "この圏域にはもう第2層協議体があります。1つの圏域に第2層協議体は1つです。",
        ),
    }

    class Meta:
        model = Council
        fields = ["name", "tier", "area", "is_established", "established_on", "note"]
        import_id_fields = ["name"]


class MembershipResource(ReferenceResource):
    class Meta:
        model = Membership
        fields = ["council", "organisation_type", "members"]
        import_id_fields = ["council", "organisation_type"]


class SchedulePhaseResource(ReferenceResource):
    class Meta:
        model = SchedulePhase
        fields = ["fiscal_year", "position", "sequence", "starts_in", "title", "topics", "note"]
        import_id_fields = ["fiscal_year", "position"]
