from django.urls import path

from activities import views

app_name = "activities"

urlpatterns = [
    path("", views.SupportGroupListView.as_view(), name="supportgroup-list"),
    path("<int:pk>/", views.SupportGroupDetailView.as_view(), name="supportgroup-detail"),
]
