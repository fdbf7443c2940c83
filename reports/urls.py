from django.urls import path

from reports import views

urlpatterns = [
    path("", views.home, name="home"),
    path("status/", views.StatusTableView.as_view(), name="status"),
    path("outcomes/", views.outcomes, name="outcomes"),
]
