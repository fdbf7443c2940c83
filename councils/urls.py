from django.urls import path

from councils import views

app_name = "councils"

urlpatterns = [
    path("schedule/", views.schedule_current, name="schedule-current"),
    path("schedule/<int:fiscal_year>/", views.ScheduleView.as_view(), name="schedule"),
    path("plans/new/", views.plan_create, name="plan-create"),
    path("plans/<int:fiscal_year>/edit/", views.plan_update, name="plan-update"),
    path("councils/", views.CouncilListView.as_view(), name="council-list"),
    path("councils/<int:pk>/", views.CouncilDetailView.as_view(), name="council-detail"),
    path("areas/<int:pk>/", views.AreaDetailView.as_view(), name="area-detail"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting-list"),
    path("meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path("meetings/<int:pk>/edit/", views.meeting_update, name="meeting-update"),
    path("meetings/<int:pk>/delete/", views.meeting_delete, name="meeting-delete"),
    path("opinions/", views.OpinionListView.as_view(), name="opinion-list"),
    path("opinions/<int:pk>/response/", views.opinion_response, name="opinion-response"),
    path("follow-ups/", views.FollowUpListView.as_view(), name="followup-list"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="followup-done"),
]
