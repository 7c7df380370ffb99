"""Who may see a child record is decided with its parent, which the child declares
(``ACCESS_PARENT``): every register model reaches its programme, and none is guessed."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.test.utils import isolate_apps

from steerco.accounts.access import _parent, shape_of
from steerco.core.models import Programme
from steerco.portal.models import AssessmentAnswer
from steerco.reports.models import ReportEscalation


def register_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if not model.__name__.startswith("Historical")
        and any(f.name == "classification" for f in model._meta.concrete_fields)
    ]


@pytest.mark.parametrize("model", register_models(), ids=lambda m: m.__name__)
def test_every_register_model_reaches_its_programme(model: type[models.Model]) -> None:
    shape = shape_of(model)
    assert model is Programme or shape.programme.endswith("programme"), shape


def test_a_report_line_is_seen_with_its_report_and_the_reports_organisation() -> None:
    shape = shape_of(ReportEscalation)
    assert shape.chain == ("", "report__")
    assert (shape.organisation, shape.report) == ("report__organisation", "report__")
    assert shape_of(AssessmentAnswer).chain == ("", "response__", "response__round__")


@isolate_apps("steerco.core")
def test_a_register_model_without_programme_or_declared_parent_is_refused() -> None:
    class Orphan(models.Model):
        classification = models.CharField(max_length=20)
        owner = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "core"

        def __str__(self) -> str:
            return "orphan"

    with pytest.raises(ImproperlyConfigured, match="ACCESS_PARENT"):
        _parent(Orphan)
