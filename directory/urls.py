from django.urls import path

from directory import public, views

app_name = "directory"

urlpatterns = [
    # Public: no sign-in (directory/public.py).
    path("", public.home, name="public-home"),
    path("help/<int:number>/", public.category, name="public-category"),
    path("areas/<int:pk>/", public.area, name="public-area"),
    path("areas/<int:pk>/booklet/", public.booklet, name="public-booklet"),
    path("search/", public.search, name="public-search"),
    path("entries/<int:pk>/", public.entry, name="public-entry"),
    path("about/", public.about, name="public-about"),
    path("opendata/sasaeai.csv", public.csv_feed, name="public-csv"),
    path("opendata/hsds.json", public.hsds_feed, name="public-hsds"),
    # Keeping it current: signed in (directory/views.py).
    path("manage/", views.EntryListView.as_view(), name="entry-list"),
    path("manage/new/", views.entry_create, name="entry-create"),
    path("manage/<int:pk>/", views.EntryDetailView.as_view(), name="entry-detail"),
    path("manage/<int:pk>/edit/", views.entry_update, name="entry-update"),
    path("manage/<int:pk>/confirm/", views.entry_confirm, name="entry-confirm"),
    path("manage/<int:pk>/publish/", views.entry_publish, name="entry-publish"),
    path("manage/<int:pk>/unpublish/", views.entry_unpublish, name="entry-unpublish"),
    path("manage/needs/", views.needs_supply, name="needs-supply"),
    path("manage/offices/", views.office_list, name="office-list"),
    path("manage/offices/<int:pk>/edit/", views.office_update, name="office-update"),
]
