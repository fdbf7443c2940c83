from django.urls import path

from coordinators import views

app_name = "coordinators"

urlpatterns = [
    path("", views.CoordinatorListView.as_view(), name="coordinator-list"),
    path("<int:pk>/", views.CoordinatorDetailView.as_view(), name="coordinator-detail"),
]
