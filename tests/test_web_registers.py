"""Finding one's way among the registers: an index with the count of records each reader
may see, breadcrumbs of names that all link, sub-navigation between registers, columns
sorted by the database and keeping the filters, the classification badge only where it is
not the usual one, and records named so people can read them."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from steerco.core.history import acting
from steerco.core.models import AgendaItem
from steerco.milestones.models import Milestone
from steerco.raid.models import MitigationStep, RaidItem
from steerco.registers import PAGES
from steerco.reports.models import DeliveryReport
from tests.web_support import Cast, make_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast() -> Cast:
    return make_cast()


def text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def index_counts(html: str) -> dict[str, int]:
    """Register title → the count the index shows."""
    rows = re.findall(
        r'<th scope="row"><a href="[^"]+">([^<]+)</a></th><td>[^<]*</td>'
        r'<td class="num">([\d,]+)</td>',
        html,
    )
    return {unescape(title): int(count.replace(",", "")) for title, count in rows}


def crumbs(html: str) -> list[tuple[str, str]]:
    """(link, name) of each breadcrumb, in order."""
    nav = re.search(r'<nav class="crumbs" aria-label="Breadcrumb">(.*?)</nav>', html, re.S)
    assert nav, "no breadcrumbs"
    items = re.findall(r"<li>(.*?)</li>", nav.group(1))
    found = []
    for item in items:
        link = re.fullmatch(r'<a href="([^"]+)"(?: aria-current="page")?>([^<]+)</a>', item)
        assert link, f"a crumb that is not a link: {item}"
        found.append((unescape(link.group(1)), unescape(link.group(2))))
    return found


def first_cells(html: str) -> list[str]:
    """The first cell of each row of the results table (the record's link text)."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<tr><td><a href="[^"]+">([^<]+)</a></td>', body)


def test_the_index_lists_every_register_with_the_count_each_reader_may_see(cast: Cast) -> None:
    programme = cast.programme
    with acting("tests", "one risk participant-confidential"):
        RaidItem.objects.filter(programme=programme, ref="R040").update(
            classification="confidential"
        )
    raid = RaidItem.objects.filter(programme=programme)
    reports = DeliveryReport.objects.filter(programme=programme)
    url = reverse("web:registers", args=[programme.code])
    counts = {
        key: index_counts(text(cast.client(key), url)) for key in ("pmo", "steering", "recco")
    }
    assert list(counts["pmo"]) == [register.title for register in PAGES]
    assert counts["pmo"]["RAID log"] == raid.count()
    # The confidential risk and DCC's draft report are not counted for those who may not read
    # them: a count is itself information.
    not_confidential = raid.exclude(classification="confidential").count()
    assert counts["steering"]["RAID log"] == counts["recco"]["RAID log"] == not_confidential
    assert not_confidential == raid.count() - 1
    assert counts["pmo"]["Delivery reports"] == reports.count()
    assert counts["recco"]["Delivery reports"] == reports.exclude(status="draft").count()
    assert counts["recco"]["Delivery reports"] < reports.count()
    assert counts["pmo"]["Milestones"] == counts["recco"]["Milestones"] > 0


def test_the_index_is_refused_to_those_who_may_not_read_registers(cast: Cast) -> None:
    url = reverse("web:registers", args=[cast.programme.code])
    assert cast.client("public").get(url).status_code in (403, 404)
    signed_out = cast.client("anonymous").get(url)
    assert signed_out.status_code in (302, 403, 404)
    assert "RAID log" not in signed_out.content.decode()


def test_the_header_leads_to_the_index(cast: Cast) -> None:
    html = text(cast.client("steering"), reverse("web:programme", args=[cast.programme.code]))
    index = reverse("web:registers", args=[cast.programme.code])
    assert f'<a href="{index}">Registers</a>' in html


def test_crumbs_name_the_programme_and_every_one_is_a_link(cast: Cast) -> None:
    code = cast.programme.code
    risk = RaidItem.objects.get(programme=cast.programme, ref="R040")
    item = reverse("web:register-item", args=[code, "raid", risk.pk])
    expected = [
        (reverse("web:programme", args=[code]), cast.programme.name),
        (reverse("web:registers", args=[code]), "Registers"),
        (reverse("web:register-list", args=[code, "raid"]), "RAID log"),
        (item, "R040"),
    ]
    client = cast.client("pmo")
    assert crumbs(text(client, item)) == expected
    assert crumbs(text(client, expected[2][0])) == expected[:3]
    edit = reverse("web:register-edit", args=[code, "raid", risk.pk])
    assert crumbs(text(client, edit)) == [*expected, (edit, "Edit")]
    new = reverse("web:register-new", args=[code, "raid"])
    assert crumbs(text(client, new)) == [*expected[:3], (new, "New")]
    assert cast.programme.name != code  # the programme by its name, not its code


def test_every_register_page_leads_to_every_other_register(cast: Cast) -> None:
    code = cast.programme.code
    risk = RaidItem.objects.get(programme=cast.programme, ref="R040")
    client = cast.client("pmo")
    for url in (
        reverse("web:register-list", args=[code, "raid"]),
        reverse("web:register-item", args=[code, "raid", risk.pk]),
        reverse("web:register-edit", args=[code, "raid", risk.pk]),
        reverse("web:register-new", args=[code, "raid"]),
    ):
        html = text(client, url)
        nav = re.search(r'<nav class="register-nav" aria-label="Registers">(.*?)</nav>', html)
        assert nav, url
        for register in PAGES:
            assert reverse("web:register-list", args=[code, register.slug]) in nav.group(1)
        assert 'aria-current="true">RAID log</a>' in nav.group(1)


def test_sorting_by_a_column_keeps_the_filter_both_ways(cast: Cast) -> None:
    code = cast.programme.code
    url = reverse("web:register-list", args=[code, "milestones"])
    tier3 = Milestone.objects.filter(programme=cast.programme, tier="T3")
    assert 1 < tier3.count() < Milestone.objects.filter(programme=cast.programme).count()
    codes = sorted(tier3.values_list("code", flat=True))
    client = cast.client("steering")

    ascending = text(client, f"{url}?tier=T3&sort=code")
    assert first_cells(ascending) == codes
    header = re.search(
        r'<th scope="col" aria-sort="ascending"><a class="sort" href="\?([^"]+)"', ascending
    )
    assert header, "the sorted column says so"
    following = unescape(header.group(1))
    assert "tier=T3" in following and "sort=-code" in following  # the filter kept
    assert "sorted ascending" in ascending
    assert '<input type="hidden" name="sort" value="code">' in ascending  # filters keep it

    descending = text(client, f"{url}?{following}")
    assert first_cells(descending) == codes[::-1]
    assert 'aria-sort="descending"' in descending and "sorted descending" in descending


def test_a_column_of_records_sorts_by_their_key(cast: Cast) -> None:
    url = reverse("web:register-list", args=[cast.programme.code, "raid"])
    html = text(cast.client("pmo"), f"{url}?sort=-theme")
    refs = first_cells(html)
    by_ref = {r.ref: r.theme.number if r.theme else -1 for r in RaidItem.objects.all()}
    numbers = [by_ref[ref] for ref in refs if by_ref[ref] != -1]
    assert numbers == sorted(numbers, reverse=True) and len(set(numbers)) > 1


@pytest.mark.parametrize("key", ["programme__name", "-classification", "nonsense", "-", "id"])
def test_a_sort_key_that_is_no_column_is_ignored(cast: Cast, key: str) -> None:
    url = reverse("web:register-list", args=[cast.programme.code, "milestones"])
    client = cast.client("pmo")
    usual = first_cells(text(client, url))
    html = text(client, f"{url}?sort={key}")
    assert first_cells(html) == usual
    assert "aria-sort" not in html and 'name="sort"' not in html


def test_the_classification_badge_shows_only_where_it_is_not_the_usual_one(cast: Cast) -> None:
    with acting("tests", "one risk participant-confidential"):
        RaidItem.objects.filter(programme=cast.programme, ref="R040").update(
            classification="confidential"
        )
    url = reverse("web:register-list", args=[cast.programme.code, "raid"])
    html = text(cast.client("pmo"), url)
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body)
    marked = [row for row in rows if "Participant-confidential" in row]
    assert len(marked) == 1 and ">R040<" in marked[0]
    assert ">Programme<" not in body  # the usual classification is not repeated on each row
    assert "(where not Programme)" in html


def test_what_changed_names_child_records_readably(cast: Cast) -> None:
    item = AgendaItem.objects.get(meeting__code="PSG-24", number=2)
    step = MitigationStep.objects.filter(item__ref="R040").order_by("order").first()
    assert step is not None
    with acting("tests", "renamed"):
        item.title = "Minutes, actions and readiness"
        item.save()
        step.text = "Share test data only through the secure portal"
        step.save()
    html = text(cast.client("steering"), reverse("web:changes", args=[cast.programme.code]))
    assert "Agenda item of PSG-24: 2. Minutes, actions and readiness" in html
    assert "Mitigation step of R040: Share test data only through the secure portal" in html
    assert f"{item.meeting_id}/2 " not in html  # the meeting's database id named nothing
