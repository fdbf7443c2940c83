"""The site's URLs: each app's, under its prefix, and the admin."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "いわき市 生活支援体制整備事業 管理"
admin.site.site_title = "生活支援体制整備事業 管理"
admin.site.index_title = "記録の管理"

urlpatterns = [
    path("", include("reports.urls")),
    path("accounts/", include("accounts.urls")),
    path("", include("councils.urls")),
    path("coordinators/", include("coordinators.urls")),
    path("groups/", include("activities.urls")),
    path("needs/", include("needs_survey.urls")),
    path("sasaeai/", include("directory.urls")),
    path("journal/", include("journal.urls")),
    path("", include("audit.urls")),
    path("admin/", admin.site.urls),
]
