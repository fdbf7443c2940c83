from django.urls import path

from needs_survey import views

app_name = "needs_survey"

urlpatterns = [
    path("", views.survey_list, name="survey-list"),
    path("surveys/new/", views.survey_create, name="survey-create"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey-detail"),
    path("surveys/<int:pk>/edit/", views.survey_update, name="survey-update"),
    path("matrix/", views.survey_matrix, name="survey-matrix"),
    path("compare/", views.survey_compare, name="survey-compare"),
    path("start/", views.survey_can_do, name="survey-can-do"),
    path("import/", views.survey_import, name="survey-import"),
    path("import/confirm/", views.survey_import_confirm, name="survey-import-confirm"),
]
