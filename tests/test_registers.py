"""The one register specification: it agrees with the models, every name means one set of
records everywhere, and what reads it (loader, exporter, API, web, what changed) keeps what it
says and nothing it does not."""

from __future__ import annotations

import dataclasses

import pytest
from django.db import models
from django.urls import reverse

from steerco import registers
from steerco.accounts import access
from steerco.core.models import Programme
from steerco.io.exporter import _columns
from steerco.raid.models import MitigationStep, RaidItem
from tests.web_support import Cast, make_cast


@pytest.fixture
def cast(db: None) -> Cast:
    return make_cast()


def test_the_specification_agrees_with_the_models() -> None:
    assert registers.check() == []


def test_a_child_kept_under_the_wrong_accessor_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    raid = registers.BY_SLUG["raid"]
    wrong = dataclasses.replace(raid, children=(registers.Child("updates", MitigationStep),))
    monkeypatch.setattr(
        registers, "REGISTERS", tuple(wrong if r is raid else r for r in registers.REGISTERS)
    )
    registers._children.cache_clear()
    try:
        assert "RaidItem has no children 'updates'" in registers.check()
    finally:
        monkeypatch.undo()
        registers._children.cache_clear()


def test_a_field_the_model_lacks_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    raid = registers.BY_SLUG["raid"]
    wrong = dataclasses.replace(raid, columns=(*raid.columns, "colour"))
    monkeypatch.setattr(
        registers, "REGISTERS", tuple(wrong if r is raid else r for r in registers.REGISTERS)
    )
    assert "raid.columns: RaidItem has no 'colour'" in registers.check()


def test_a_child_field_the_model_lacks_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    raid = registers.BY_SLUG["raid"]
    wrong = dataclasses.replace(
        raid, children=(registers.Child("mitigations", MitigationStep, editable=("colour",)),)
    )
    monkeypatch.setattr(
        registers, "REGISTERS", tuple(wrong if r is raid else r for r in registers.REGISTERS)
    )
    registers._children.cache_clear()
    try:
        assert "RaidItem.mitigations: no field 'colour'" in registers.check()
    finally:
        monkeypatch.undo()
        registers._children.cache_clear()


def test_every_name_means_one_register_and_one_model() -> None:
    slugs = [r.slug for r in registers.REGISTERS]
    assert len(slugs) == len(set(slugs))
    assert len({r.model for r in registers.REGISTERS}) == len(slugs)
    sections = [r.section for r in registers.REGISTERS]
    assert len(sections) == len(set(sections))


def test_a_child_is_seen_with_the_parent_the_specification_keeps_it_under() -> None:
    """The access path (ACCESS_PARENT) and the specification's nesting are one path."""
    for parent, children in registers._children().items():
        for child in children.values():
            declared = getattr(child.model, "ACCESS_PARENT", None)
            if declared:
                assert access._parent(child.model) == (declared, parent), child.model


def test_registers_are_loaded_in_an_order_where_references_point_upwards() -> None:
    seen: set[type[models.Model]] = set()
    for register in registers.FILED:
        for field in register.model._meta.concrete_fields:
            target = getattr(field, "related_model", None)
            filed = target in registers.BY_MODEL and registers.BY_MODEL[target].file
            if target is not Programme and filed:
                assert target in seen or target is register.model, (register.slug, field.name)
        seen.add(register.model)


def test_an_empty_register_exports_its_columns_as_a_form_to_fill_in() -> None:
    columns = _columns("tranches")
    assert {"number", "name", "window_start", "capacity"} <= set(columns)
    assert "id" not in columns and "programme" not in columns
    assert "mitigations" in _columns("items")


@pytest.mark.django_db
def test_the_web_api_and_exports_agree_on_what_a_name_holds(cast: Cast) -> None:
    """/api/…/registers/raid/ and /api/…/exports/raid/ are the same records: the RAID log."""
    client = cast.client("pmo")
    listed = client.get(reverse("api:register-list", args=["mhhs", "raid"]) + "?limit=500")
    exported = client.get(reverse("api:export", args=["mhhs", "raid"]))
    assert listed.status_code == exported.status_code == 200
    refs = sorted(row["ref"] for row in listed.json()["results"])
    ((section, rows),) = exported.json()["sections"].items()
    assert section == "items"
    assert sorted(row["ref"] for row in rows) == refs
    assert refs == sorted(
        RaidItem.objects.filter(programme=cast.programme).values_list("ref", flat=True)
    )


@pytest.mark.django_db
def test_a_register_without_pages_has_no_register_page(cast: Cast) -> None:
    client = cast.client("pmo")
    assert not registers.BY_SLUG["meetings"].page
    page = client.get(reverse("web:register-list", args=["mhhs", "meetings"]))
    assert page.status_code == 404
    exported = client.get(reverse("api:export", args=["mhhs", "meetings"]))
    assert exported.status_code == 200


def test_what_changed_covers_every_model_a_register_keeps() -> None:
    kept = {model for _, model in registers.walk()}
    for register in registers.REGISTERS:
        assert register.model in kept
        for child in registers.children_of(register.model).values():
            assert child.model in kept
