from django.urls import path

from reports import views

urlpatterns = [
    path("", views.home, name="home"),
    path("status/", views.StatusTableView.as_view(), name="status"),
    path("outcomes/", views.outcomes, name="outcomes"),
    path("reports/", views.report_index, name="report-index"),
    path("reports/<int:fiscal_year>/", views.year_report_view, name="report"),
    path("reports/<int:fiscal_year>/survey/", views.survey_view, name="survey"),
    path("reports/<int:fiscal_year>/plan/", views.plan_ahead_edit, name="plan-ahead-edit"),
    path(
        "reports/<int:fiscal_year>/opinions/", views.main_opinions_edit, name="main-opinions-edit"
    ),
    path(
        "reports/<int:fiscal_year>/figures/new/",
        views.keyfigure_create,
        name="keyfigure-create",
    ),
    path(
        "reports/<int:fiscal_year>/figures/<slug:key>/",
        views.keyfigure_edit,
        name="keyfigure-edit",
    ),
]
