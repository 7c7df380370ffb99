from django.urls import path

from steerco.calendars import views

app_name = "calendars"

urlpatterns = [
    path("p/<slug:programme>/calendar/", views.feed_settings, name="settings"),
    path("calendar/<str:secret>.ics", views.feed, name="feed"),
]
