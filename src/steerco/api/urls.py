from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from steerco.api import views

app_name = "api"

urlpatterns = [
    path("", views.Index.as_view(), name="root"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    path("p/<slug:programme>/", views.ProgrammeDetail.as_view(), name="programme"),
    path(
        "p/<slug:programme>/registers/<slug:register>/",
        views.RegisterList.as_view(),
        name="register-list",
    ),
    path(
        "p/<slug:programme>/registers/<slug:register>/<int:pk>/",
        views.RegisterItem.as_view(),
        name="register-item",
    ),
    path(
        "p/<slug:programme>/milestones/confidence/",
        views.MilestoneConfidence.as_view(),
        name="milestone-confidence",
    ),
    path(
        "p/<slug:programme>/exports/<slug:register>/",
        views.RegisterExport.as_view(),
        name="export",
    ),
]
