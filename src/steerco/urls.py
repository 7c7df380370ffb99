from django.contrib import admin
from django.urls import include, path

from steerco.ops.views import health

handler403 = "steerco.web.views.errors.permission_denied"
handler404 = "steerco.web.views.errors.page_not_found"
handler500 = "steerco.ops.errors.server_error"

admin.site.site_header = "steerco"
admin.site.site_title = "steerco"
admin.site.index_title = "Registers"

urlpatterns = [
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
    path("jobs/", include("steerco.jobs.urls")),
    path("accounts/", include("steerco.accounts.urls")),
    path("api/", include("steerco.api.urls")),
    path("portal/", include("steerco.portal.urls")),
    path("", include("steerco.transfers.urls")),
    path("", include("steerco.planning.urls")),
    path("", include("steerco.calendars.urls")),
    path("", include("steerco.web.urls")),
]
