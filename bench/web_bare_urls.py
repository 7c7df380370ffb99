"""steerco's URLs plus /bench/bare/: 200 milestones in a plain table, one query."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path

from steerco.milestones.models import Milestone

_TABLE = engines["django"].from_string(
    "<!doctype html><title>bare</title><table>"
    "{% for m in rows %}<tr><td>{{ m.code }}</td><td>{{ m.title }}</td>"
    "<td>{{ m.baseline_date }}</td><td>{{ m.forecast_date }}</td><td>{{ m.rag }}</td></tr>"
    "{% endfor %}</table>"
)


def bare(request: HttpRequest) -> HttpResponse:
    rows = Milestone.objects.order_by("pk")[:200]
    return HttpResponse(_TABLE.render({"rows": rows}, request))


urlpatterns = [path("bench/bare/", bare), path("", include("steerco.urls"))]
