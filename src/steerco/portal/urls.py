from django.urls import path

from steerco.portal.views import raid, readiness, reports

app_name = "portal"

P = "p/<slug:programme>/"

urlpatterns = [
    path(P, reports.home, name="home"),
    path(f"{P}reports/new/", reports.report_new, name="report-new"),
    path(f"{P}reports/<int:report>/", reports.report_detail, name="report"),
    path(f"{P}reports/<int:report>/edit/", reports.report_edit, name="report-edit"),
    path(f"{P}reports/<int:report>/submit/", reports.report_submit, name="report-submit"),
    path(f"{P}reports/<int:report>/review/", reports.report_review, name="report-review"),
    path(f"{P}raid/new/", raid.raid_new, name="raid-new"),
    path(f"{P}raid/mine/", raid.raid_mine, name="raid-mine"),
    path(f"{P}raid/triage/", raid.triage, name="triage"),
    path(f"{P}raid/<int:submission>/", raid.raid_submission, name="raid-submission"),
    path(f"{P}raid/<int:submission>/decide/", raid.raid_decide, name="raid-decide"),
    path(f"{P}readiness/", readiness.rounds, name="rounds"),
    path(f"{P}readiness/new/", readiness.round_new, name="round-new"),
    path(f"{P}readiness/<int:round>/", readiness.round_detail, name="round"),
    path(f"{P}readiness/<int:round>/answer/", readiness.round_answer, name="round-answer"),
    path(
        f"{P}readiness/<int:round>/responses/<int:response>/",
        readiness.round_response,
        name="round-response",
    ),
    path(f"{P}returns/", readiness.returns, name="returns"),
    path(f"{P}returns/remind/", readiness.remind, name="remind"),
]
