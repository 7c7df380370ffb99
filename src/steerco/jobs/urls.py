from django.urls import path

from steerco.jobs import views

app_name = "jobs"
urlpatterns = [
    path("<int:job>/", views.detail, name="detail"),
    path("build-pack/<slug:programme>/<str:meeting>/", views.build_pack, name="build-pack"),
]
