from django.contrib import admin
from django.urls import include, path

from steerco.ops.views import health

admin.site.site_header = "steerco"
admin.site.site_title = "steerco"
admin.site.index_title = "Registers"

urlpatterns = [
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
    path("accounts/", include("steerco.accounts.urls")),
    path("", include("steerco.web.urls")),
]
