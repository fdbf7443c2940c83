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
