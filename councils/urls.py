from django.urls import path

from councils import views

app_name = "councils"

urlpatterns = [
    path("schedule/", views.schedule_current, name="schedule-current"),
    path("schedule/<int:fiscal_year>/", views.ScheduleView.as_view(), name="schedule"),
    path("councils/", views.CouncilListView.as_view(), name="council-list"),
    path("councils/<int:pk>/", views.CouncilDetailView.as_view(), name="council-detail"),
    path("areas/<int:pk>/", views.AreaDetailView.as_view(), name="area-detail"),
]
