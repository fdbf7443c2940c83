from django.urls import path

from coordinators import views

app_name = "coordinators"

urlpatterns = [
    path("", views.CoordinatorListView.as_view(), name="coordinator-list"),
    path("<int:pk>/", views.CoordinatorDetailView.as_view(), name="coordinator-detail"),
    path("calendar/", views.calendar_links, name="calendar"),
    path("calendar/reset/", views.calendar_reset, name="calendar-reset"),
    path(
        "calendar/<str:token>/coordinators/<int:pk>.ics",
        views.coordinator_feed,
        name="calendar-coordinator",
    ),
    path("calendar/<str:token>/areas/<int:pk>.ics", views.area_feed, name="calendar-area"),
]
