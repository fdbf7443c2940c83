from django.urls import path

from audit import views

urlpatterns = [
    path("access-records/", views.AccessRecordListView.as_view(), name="accessrecord-list"),
    path("history/deleted/", views.deleted_list, name="deleted-records"),
    path(
        "history/deleted/<str:model_name>/<int:history_id>/restore/",
        views.restore,
        name="restore-record",
    ),
    path(
        "history/deleted/<str:model_name>/versions/<int:object_id>/",
        views.deleted_versions,
        name="deleted-record-versions",
    ),
]
