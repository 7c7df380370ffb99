"""Creating a record on the web: the register's next ref proposed, the natural key checked
unique, the reason and the creator in history, and only the PMO and admins may."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from steerco import registers
from steerco.core.models import Programme
from steerco.raid.models import RaidItem, RaidTheme
from steerco.records.creating import propose_ref
from tests.web_support import Cast, make_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast() -> Cast:
    return make_cast()


def _highest(prefix: str, refs: list[str]) -> tuple[int, int]:
    numbers = [
        m.group(1) for m in (re.fullmatch(re.escape(prefix) + r"(\d+)", r) for r in refs) if m
    ]
    return max(int(n) for n in numbers), max(len(n) for n in numbers)


def test_the_next_ref_follows_the_register_s_numbering(cast: Cast) -> None:
    programme = Programme.objects.get(code="mhhs")
    refs = list(RaidItem.objects.filter(programme=programme).values_list("ref", flat=True))
    newest = RaidItem.objects.filter(programme=programme).order_by("-pk").first()
    assert newest is not None
    prefix = re.fullmatch(r"(.*?)\d+", newest.ref).group(1)  # type: ignore[union-attr]
    top, width = _highest(prefix, refs)
    proposed = propose_ref(registers.BY_SLUG["raid"], programme)
    assert proposed == {"ref": f"{prefix}{top + 1:0{width}d}"}
    assert proposed["ref"] not in refs


def test_a_register_whose_keys_are_not_numbered_is_proposed_nothing(cast: Cast) -> None:
    programme = Programme.objects.get(code="mhhs")
    assert propose_ref(registers.BY_SLUG["organisations"], programme) == {}


def test_the_pmo_creates_a_risk_with_type_theme_and_scores(cast: Cast) -> None:
    client = cast.client("pmo")
    url = reverse("web:register-new", args=["mhhs", "raid"])
    page = client.get(url).content.decode()
    proposed = re.search(r'name="ref"[^>]*value="([^"]+)"', page)
    assert proposed, page[:3000]
    theme = RaidTheme.objects.filter(programme=cast.programme).order_by("number").first()
    assert theme is not None
    data = {
        "ref": proposed.group(1),
        "type": "risk",
        "theme": str(theme.pk),
        "log": "programme",
        "description": "Supplier test environments not ready for SIT",
        "impact": "SIT entry slips",
        "linked_milestones": "[]",
        "owner": "SI Test Lead",
        "initial_score": "20",
        "current_score": "16",
        "target_score": "8",
        "status": "open",
        "classification": "programme",
        "reason": "raised at the RAID board",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    created = RaidItem.objects.get(programme=cast.programme, ref=proposed.group(1))
    assert created.theme == theme and created.current_score == 16 and created.type == "risk"
    assert response["Location"] == reverse("web:register-item", args=["mhhs", "raid", created.pk])
    first = created.history.get()
    assert first.history_type == "+"
    assert first.history_actor == "mhhs-pmo"
    assert first.history_change_reason == "raised at the RAID board"
    highest = RaidItem.objects.filter(programme=cast.programme).exclude(pk=created.pk)
    assert created.order > max(highest.values_list("order", flat=True))


def test_a_ref_already_used_is_refused_with_a_clear_error_and_nothing_is_written(
    cast: Cast,
) -> None:
    client = cast.client("pmo")
    url = reverse("web:register-new", args=["mhhs", "changes"])
    before = (
        cast.programme.change_requests.count()
        if hasattr(cast.programme, "change_requests")
        else None
    )
    taken = (
        registers.BY_SLUG["changes"].model._default_manager.filter(programme=cast.programme).first()
    )
    response = client.post(
        url, {"ref": taken.ref, "title": "A second CR with the same ref", "reason": "test"}
    )
    assert response.status_code == 400
    assert f"{taken.ref} already exists in mhhs" in response.content.decode()
    if before is not None:
        assert cast.programme.change_requests.count() == before


def test_a_new_record_needs_a_reason(cast: Cast) -> None:
    client = cast.client("pmo")
    url = reverse("web:register-new", args=["mhhs", "organisations"])
    response = client.post(url, {"name": "New Supplier Ltd", "kind": "participant"})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


@pytest.mark.parametrize("persona", ["steering", "dcc", "public"])
def test_only_the_pmo_and_admins_may_create(cast: Cast, persona: str) -> None:
    url = reverse("web:register-new", args=["mhhs", "organisations"])
    client = cast.client(persona)
    assert client.get(url).status_code in (403, 404)
    response = client.post(url, {"name": "Sneaky Ltd", "reason": "x"})
    assert response.status_code in (403, 404)
    assert (
        not registers.BY_SLUG["organisations"]
        .model._default_manager.filter(name="Sneaky Ltd")
        .exists()
    )


def test_the_register_list_offers_new_to_editors_only(cast: Cast) -> None:
    url = reverse("web:register-list", args=["mhhs", "raid"])
    new = reverse("web:register-new", args=["mhhs", "raid"])
    assert new in cast.client("pmo").get(url).content.decode()
    assert new not in cast.client("steering").get(url).content.decode()
