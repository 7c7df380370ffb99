from django.urls import path

from steerco.web.views import changes, dashboards, meeting_record, meetings, registers

app_name = "web"

urlpatterns = [
    path("", dashboards.home, name="home"),
    path("p/<slug:programme>/", dashboards.programme_home, name="programme"),
    path(
        "p/<slug:programme>/dashboards/<slug:dashboard>/",
        dashboards.dashboard,
        name="dashboard",
    ),
    path("p/<slug:programme>/changes/", changes.changes, name="changes"),
    path("p/<slug:programme>/meetings/", meetings.meeting_list, name="meetings"),
    path("p/<slug:programme>/meetings/<str:meeting>/", meetings.meeting_detail, name="meeting"),
    path(
        "p/<slug:programme>/meetings/<str:meeting>/record/",
        meeting_record.meeting_record,
        name="meeting-record",
    ),
    path(
        "p/<slug:programme>/meetings/<str:meeting>/pack.pdf",
        meetings.meeting_pack,
        name="meeting-pack",
    ),
    path(
        "p/<slug:programme>/meetings/<str:meeting>/pack.html",
        meetings.meeting_pack,
        {"fmt": "html"},
        name="meeting-pack-html",
    ),
    path(
        "p/<slug:programme>/registers/<slug:register>/",
        registers.register_list,
        name="register-list",
    ),
    path(
        "p/<slug:programme>/registers/<slug:register>/new/",
        registers.register_new,
        name="register-new",
    ),
    path(
        "p/<slug:programme>/registers/<slug:register>/<int:pk>/",
        registers.register_item,
        name="register-item",
    ),
    path(
        "p/<slug:programme>/registers/<slug:register>/<int:pk>/edit/",
        registers.register_edit,
        name="register-edit",
    ),
]
