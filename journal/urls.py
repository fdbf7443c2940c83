from django.urls import path

from journal import views

app_name = "journal"

urlpatterns = [
    path("", views.JournalEntryListView.as_view(), name="entry-list"),
    path("new/", views.entry_create, name="entry-create"),
    path("<int:pk>/", views.JournalEntryDetailView.as_view(), name="entry-detail"),
    path("<int:pk>/edit/", views.entry_update, name="entry-update"),
    path("<int:pk>/delete/", views.entry_delete, name="entry-delete"),
    path("years/", views.summary_current, name="summary-current"),
    path("years/<int:fiscal_year>/", views.summary, name="summary"),
    path(
        "years/<int:fiscal_year>/notes/<int:coordinator>/",
        views.yearnote_edit,
        name="yearnote-edit",
    ),
]
