from django.urls import path

from steerco.planning import views

app_name = "planning"
urlpatterns = [
    path("p/<slug:programme>/planning/", views.home, name="home"),
    path("p/<slug:programme>/planning/start/", views.start, name="start"),
    path("p/<slug:programme>/planning/<int:run>/", views.run, name="run"),
]
