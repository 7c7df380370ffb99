from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "steerco"
admin.site.site_title = "steerco"
admin.site.index_title = "Registers"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("steerco.accounts.urls")),
    path("", include("steerco.web.urls")),
]
