from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from activities.access_review import AccessRecordListView
from iwaki_support import history, views

admin.site.site_header = "いわき市 生活支援体制整備事業 管理"
admin.site.site_title = "生活支援体制整備事業 管理"
admin.site.index_title = "記録の管理"

urlpatterns = [
    path("", views.home, name="home"),
    path("status/", views.StatusTableView.as_view(), name="status"),
    path("outcomes/", views.outcomes, name="outcomes"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("", include("councils.urls")),
    path("coordinators/", include("coordinators.urls")),
    path("groups/", include("activities.urls")),
    path("needs/", include("needs_survey.urls")),
    path("access-records/", AccessRecordListView.as_view(), name="accessrecord-list"),
    path("history/deleted/", history.deleted_list, name="deleted-records"),
    path(
        "history/deleted/<str:model_name>/<int:history_id>/restore/",
        history.restore,
        name="restore-record",
    ),
    path("admin/", admin.site.urls),
]
