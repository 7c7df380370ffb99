from django.urls import path

from steerco.web.views import (
    changes,
    dashboards,
    meeting_life,
    meeting_papers,
    meeting_record,
    meetings,
    registers,
    whatif,
)
from steerco.web.views.programmes import (
    member_new,
    programme_logo,
    programme_new,
    programme_setup,
)

app_name = "web"

urlpatterns = [
    path("", dashboards.home, name="home"),
    path("programmes/new/", programme_new, name="programme-new"),
    path("p/<slug:programme>/", dashboards.programme_home, name="programme"),
    path("p/<slug:programme>/setup/", programme_setup, name="programme-setup"),
    path("p/<slug:programme>/setup/logo/", programme_logo, name="programme-logo"),
    path(
        "p/<slug:programme>/bodies/<str:body>/members/new/",
        member_new,
        name="body-member-new",
    ),
    path(
        "p/<slug:programme>/dashboards/<slug:dashboard>/",
        dashboards.dashboard,
        name="dashboard",
    ),
    path("p/<slug:programme>/changes/", changes.changes, name="changes"),
    path("p/<slug:programme>/meetings/", meetings.meeting_list, name="meetings"),
    path("p/<slug:programme>/meetings/<str:meeting>/", meetings.meeting_detail, name="meeting"),
    *(
        path(
            f"p/<slug:programme>/meetings/<str:meeting>/{action}/",
            meeting_life.step,
            {"action": action},
            name=f"meeting-{action}",
        )
        for action in meeting_life.STEPS
    ),
    path(
        "p/<slug:programme>/bodies/<str:body>/next-meeting/",
        meeting_life.next_meeting,
        name="next-meeting",
    ),
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
        "p/<slug:programme>/meetings/<str:meeting>/pack.pptx",
        meetings.meeting_pack,
        {"fmt": "pptx"},
        name="meeting-pack-pptx",
    ),
    path(
        "p/<slug:programme>/meetings/<str:meeting>/agenda/",
        meeting_papers.agenda_edit,
        name="meeting-agenda",
    ),
    path(
        "p/<slug:programme>/meetings/<str:meeting>/sections/",
        meeting_papers.section_list,
        name="meeting-sections",
    ),
    path(
        "p/<slug:programme>/meetings/<str:meeting>/sections/new/",
        meeting_papers.section_new,
        name="meeting-section-new",
    ),
    path(
        "p/<slug:programme>/meetings/<str:meeting>/sections/<int:section>/",
        meeting_papers.section_edit,
        name="meeting-section",
    ),
    path(
        "p/<slug:programme>/meetings/<str:meeting>/papers/",
        meeting_papers.paper_list,
        name="meeting-papers",
    ),
    path(
        "p/<slug:programme>/meetings/<str:meeting>/papers/new/",
        meeting_papers.paper_new,
        name="meeting-paper-new",
    ),
    path(
        "p/<slug:programme>/meetings/<str:meeting>/papers/<int:paper>/",
        meeting_papers.paper_download,
        name="meeting-paper",
    ),
    path("p/<slug:programme>/registers/", registers.register_index, name="registers"),
    path(
        "p/<slug:programme>/milestones/<str:milestone>/what-if/",
        whatif.what_if,
        name="what-if",
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
    path(
        "p/<slug:programme>/registers/<slug:register>/<int:pk>/remove/",
        registers.register_remove,
        name="register-remove",
    ),
]
