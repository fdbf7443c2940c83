from django.contrib import admin
from django.urls import include, path

from iwaki_support import views

admin.site.site_header = "いわき市 生活支援体制整備事業 管理"
admin.site.site_title = "生活支援体制整備事業 管理"
admin.site.index_title = "記録の管理"

urlpatterns = [
    path("", views.home, name="home"),
    path("status/", views.StatusTableView.as_view(), name="status"),
    path("outcomes/", views.outcomes, name="outcomes"),
    path("", include("councils.urls")),
    path("coordinators/", include("coordinators.urls")),
    path("groups/", include("activities.urls")),
    path("needs/", include("needs_survey.urls")),
    path("admin/", admin.site.urls),
]
