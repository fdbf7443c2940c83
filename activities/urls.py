from django.urls import path

from activities import views

app_name = "activities"

urlpatterns = [
    path("", views.SupportGroupListView.as_view(), name="supportgroup-list"),
    path("<int:pk>/", views.SupportGroupDetailView.as_view(), name="supportgroup-detail"),
    path("supporters/", views.SupporterListView.as_view(), name="supporter-list"),
    path("supporters/<int:pk>/", views.SupporterDetailView.as_view(), name="supporter-detail"),
    path("supporters/<int:pk>/edit/", views.supporter_update, name="supporter-update"),
    path("supporters/<int:pk>/end/", views.supporter_end, name="supporter-end"),
    path("supporters/<int:pk>/resume/", views.supporter_resume, name="supporter-resume"),
    path(
        "supporters/import/",
        views.supporterimport_create,
        name="supporterimport-create",
    ),
    path(
        "supporters/import/confirm/",
        views.supporterimport_confirm,
        name="supporterimport-confirm",
    ),
    path(
        "supporters/import/template.xlsx",
        views.supporterimport_template,
        name="supporterimport-template",
    ),
    path("supporters/imports/", views.supporterimport_list, name="supporterimport-list"),
    path(
        "supporters/imports/<int:pk>/",
        views.supporterimport_detail,
        name="supporterimport-detail",
    ),
]
