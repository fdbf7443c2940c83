from django.urls import path

from councils import views

app_name = "councils"

urlpatterns = [
    path("meetings/", views.MeetingListView.as_view(), name="meeting-list"),
    path("meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path("meetings/<int:pk>/edit/", views.meeting_update, name="meeting-update"),
    path("meetings/<int:pk>/delete/", views.meeting_delete, name="meeting-delete"),
    path("opinions/", views.OpinionListView.as_view(), name="opinion-list"),
]
