from django.urls import path

from steerco.transfers import views

app_name = "transfers"

urlpatterns = [
    path(
        "p/<slug:programme>/registers/<slug:register>/download/",
        views.download,
        name="download",
    ),
    path("p/<slug:programme>/import/", views.import_upload, name="import"),
    path("p/<slug:programme>/import/commit/", views.import_commit, name="import-commit"),
    path("p/<slug:programme>/import/jobs/<int:job>/", views.import_job, name="import-job"),
]
