"""Programme plans from MS Project and Primavera P6 (steerco.io.plans, through MPXJ): the
files MS Project and P6 wrote (../shared/fixtures/plans, see its README), each read with its
tasks' dates as the file holds them — checked against the MSPDI XML parsed here directly —
and a plan written by MPXJ's own writer from the MHHS milestones, round-tripped."""

from __future__ import annotations

import datetime as dt
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from steerco.core.calendar import calendar_for
from steerco.core.models import Programme
from steerco.io import importer, plans
from steerco.io.mapping import Mapping
from steerco.milestones.models import Milestone
from tests.conftest import ROOT

pytestmark = [pytest.mark.django_db, pytest.mark.java]

FIXTURES = Path(os.environ.get("STEERCO_PLAN_FIXTURES", ROOT.parent / "shared/fixtures/plans"))
NS = {"p": "http://schemas.microsoft.com/project"}
BASELINE_COLUMNS = [
    f"Baseline{n} {end}" for n in ["", *range(1, 11)] for end in ("Start", "Finish")
]
BASELINE_COLUMNS = [c.replace("Baseline ", "Baseline ") for c in BASELINE_COLUMNS]
MHHS_MAPPING = {
    "register": "milestones",
    "plan": {"tasks": "milestones"},
    "columns": {
        "Text1": "code",
        "Name": "title",
        "Text2": "tier",
        "Baseline Finish": "baseline_date",
        "Finish": "forecast_date",
        "Actual Finish": "actual_date",
        "Predecessors": "predecessors",
    },
}


def needed() -> None:
    """Java, and the fixtures where ../shared is checked out beside the project."""
    if not plans.java_available():
        message = "no Java runtime (apt-get install default-jre-headless)"
        if os.environ.get("CI") or os.environ.get("STEERCO_REQUIRE_TOOLS"):
            pytest.fail(message)
        pytest.skip(message)


def fixture(name: str) -> Path:
    needed()
    path = FIXTURES / name
    if not path.exists():
        pytest.skip(f"{path} is absent: the plan fixtures live in ../shared/fixtures/plans")
    return path


def every_task(code: str = "Unique ID", extra: list[str] | None = None) -> Mapping:
    columns = ["Name", "Start", "Finish", "Actual Start", "Actual Finish", *(extra or [])]
    return Mapping.parse(
        {
            "register": "milestones",
            "plan": {"tasks": "all"},
            "columns": {code: "code"},
            "ignore": [c for c in columns if c != code],
        }
    )


def mspdi_tasks(path: Path) -> dict[str, dict[str, Any]]:
    """The XML as MS Project wrote it, read here without MPXJ: UID (the milestone code it
    is imported as: text) → the task's fields."""
    root = ET.parse(path).getroot()
    found = {}
    for task in root.iterfind("p:Tasks/p:Task", NS):
        if task.findtext("p:Summary", "0", NS) == "1" or task.findtext("p:IsNull", "0", NS) == "1":
            continue
        uid = task.findtext("p:UID", "", NS)
        fields: dict[str, Any] = {"Name": task.findtext("p:Name", "", NS)}
        for column, tag in (
            ("Start", "Start"),
            ("Finish", "Finish"),
            ("Actual Start", "ActualStart"),
            ("Actual Finish", "ActualFinish"),
        ):
            fields[column] = _day(task.findtext(f"p:{tag}", None, NS))
        for baseline in task.iterfind("p:Baseline", NS):
            number = int(baseline.findtext("p:Number", "0", NS))
            label = "Baseline" if number == 0 else f"Baseline{number}"
            for end in ("Start", "Finish"):
                day = _day(baseline.findtext(f"p:{end}", None, NS))
                if day is not None:
                    fields[f"{label} {end}"] = day
        found[uid] = fields
    return found


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


def read_rows(path: Path, mapping: Mapping) -> dict[Any, dict[str, Any]]:
    (sheet,) = plans.read(path, mapping)
    return {
        cells[next(c for c, f in mapping.columns.items() if f == "code")]: cells
        for _, cells in sheet.rows
    }


@pytest.mark.parametrize(
    ("xml", "mpp"),
    [
        ("task-dates-project2013-mspdi.xml", "task-dates-project2013-mpp14.mpp"),
        ("task-baselines-project2019-mspdi.xml", "task-baselines-project2019-mpp14.mpp"),
    ],
)
def test_ms_project_plans_are_read_with_their_dates_as_the_file_holds_them(
    xml: str, mpp: str
) -> None:
    expected = mspdi_tasks(fixture(xml))
    assert expected, "the fixture has tasks"
    baselines = sorted({c for fields in expected.values() for c in fields if "Baseline" in c})
    mapping = every_task(extra=baselines)
    for name in (xml, mpp):
        rows = read_rows(fixture(name), mapping)
        assert set(rows) == set(expected), name
        for uid, fields in expected.items():
            for column, value in fields.items():
                got = rows[uid].get(column)
                assert (got if got != "" else None) == value, (name, uid, column)
    if "baselines" in xml:
        assert len(baselines) >= 10, "baselines 0–10 are read, each under its own column"


def test_a_p6_plan_reads_alike_from_xer_and_pmxml() -> None:
    mapping = every_task(code="Activity ID", extra=["Baseline Finish"])
    xer = read_rows(fixture("percent-complete-8.4.xer"), mapping)
    pmxml = read_rows(fixture("percent-complete-8.4.pmxml"), mapping)
    assert len(xer) >= 10
    assert xer.keys() == pmxml.keys()
    for activity, cells in xer.items():
        for column in ("Name", "Start", "Finish", "Baseline Finish"):
            assert cells[column] == pmxml[activity][column], (activity, column)
    # As P6 wrote it: A1000 "Duration 0%" runs 24 Feb to 13 Jul 2015.
    assert (xer["A1000"]["Name"], xer["A1000"]["Start"], xer["A1000"]["Finish"]) == (
        "Duration 0%",
        dt.date(2015, 2, 24),
        dt.date(2015, 7, 13),
    )


def test_a_plan_is_a_dry_run_then_an_all_or_nothing_import(tmp_path: Path) -> None:
    programme = Programme.objects.get(code="mhhs")
    mapping = Mapping.parse(
        {
            "register": "milestones",
            "plan": {"tasks": "all"},
            "columns": {"WBS": "code", "Name": "title", "Finish": "forecast_date"},
        }
    )
    path = fixture("task-dates-project2013-mspdi.xml")
    before = Milestone.objects.count()
    result = importer.plan("milestones", path, programme, mapping)
    assert result.problems == [] and result.count("create") == 10
    assert Milestone.objects.count() == before  # a dry run writes nothing
    importer.commit(result, programme, "tests")
    made = Milestone.objects.get(programme=programme, code="1")
    assert (made.title, made.forecast_date) == ("Date1", dt.date(2014, 11, 3))
    assert made.history.first().history_change_reason == f"import {path.name}"
    assert importer.plan("milestones", path, programme, mapping).count("unchanged") == 10


def pmxml_activities(path: Path) -> dict[str, dict[str, Any]]:
    """The P6 XML as P6 wrote it, read here without MPXJ: activity ID → its dates."""
    found = {}
    for activity in ET.parse(path).getroot().iter():
        if not activity.tag.endswith("}Activity"):
            continue
        text = {child.tag.rsplit("}", 1)[1]: child.text for child in activity}
        found[str(text["Id"])] = {
            "Name": text["Name"],
            "Start": _day(text.get("StartDate")),
            "Finish": _day(text.get("FinishDate")),
            "Actual Finish": _day(text.get("ActualFinishDate")),
        }
    return found


PLAN_FILES = [
    ("task-dates-project2013-mspdi.xml", "task-dates-project2013-mspdi.xml"),
    ("task-dates-project2013-mpp14.mpp", "task-dates-project2013-mspdi.xml"),
    ("task-baselines-project2019-mspdi.xml", "task-baselines-project2019-mspdi.xml"),
    ("task-baselines-project2019-mpp14.mpp", "task-baselines-project2019-mspdi.xml"),
    ("percent-complete-8.4.xer", "percent-complete-8.4.pmxml"),
    ("percent-complete-8.4.pmxml", "percent-complete-8.4.pmxml"),
]


@pytest.mark.parametrize(("name", "independent"), PLAN_FILES)
def test_each_fixture_plan_is_imported_with_its_dates_as_the_file_holds_them(
    name: str, independent: str
) -> None:
    """Dry run, commit, and the milestones made hold each task's name, finish and actual
    finish as the XML says, parsed here without MPXJ; imported again, nothing changes."""
    path, xml = fixture(name), fixture(independent)
    p6 = name.startswith("percent")
    expected: dict[str, dict[str, Any]] = pmxml_activities(xml) if p6 else mspdi_tasks(xml)
    code = "Activity ID" if p6 else "Unique ID"
    mapping = Mapping.parse(
        {
            "register": "milestones",
            "plan": {"tasks": "all"},
            "columns": {
                code: "code",
                "Name": "title",
                "Finish": "forecast_date",
                "Actual Finish": "actual_date",
            },
        }
    )
    programme = Programme.objects.create(code="plans", name="Plan fixtures")
    result = importer.plan("milestones", path, programme, mapping)
    assert result.problems == [] and result.count("create") == len(expected), name
    assert not Milestone.objects.filter(programme=programme).exists()
    importer.commit(result, programme, "tests")
    made = {m.code: m for m in Milestone.objects.filter(programme=programme)}
    assert set(made) == set(expected)
    for key, fields in expected.items():
        held = made[key]
        assert (held.title, held.forecast_date, held.actual_date) == (
            fields["Name"],
            fields["Finish"],
            fields["Actual Finish"],
        ), (name, key)
    again = importer.plan("milestones", path, programme, mapping)
    assert again.count("unchanged") == len(expected)


def mhhs_plan(tmp_path: Path, change: dict[str, dict[str, Any]] | None = None) -> Path:
    """The MHHS milestones written as MSPDI by MPXJ's own writer."""
    rows = []
    for m in Milestone.objects.filter(programme__code="mhhs").order_by("order", "code"):
        row = {
            "code": m.code,
            "title": m.title,
            "tier": m.tier,
            "baseline": m.baseline_date and m.baseline_date.isoformat(),
            "forecast": m.forecast_date and m.forecast_date.isoformat(),
            "actual": m.actual_date and m.actual_date.isoformat(),
            "predecessors": [p.predecessor_code for p in m.predecessors.all()],
        }
        rows.append({**row, **(change or {}).get(m.code, {})})
    path = tmp_path / "mhhs-plan.xml"
    plans.write(path, rows)
    return path


def test_the_mhhs_milestones_round_trip_through_ms_projects_xml(tmp_path: Path) -> None:
    needed()
    programme = Programme.objects.get(code="mhhs")
    mapping = Mapping.parse(MHHS_MAPPING)
    path = mhhs_plan(tmp_path)
    root = ET.parse(path).getroot()
    assert len(root.findall("p:Tasks/p:Task", NS)) == Milestone.objects.count()
    result = importer.plan("milestones", path, programme, mapping)
    assert result.problems == []
    changed = [(r.key, r.changed) for r in result.rows if r.action != "unchanged"]
    assert changed == []
    assert result.count("unchanged") == Milestone.objects.count()
    # A newer plan: one milestone forecast later. The dry run shows that one change.
    moved = Milestone.objects.exclude(forecast_date=None).filter(actual_date=None).first()
    assert moved is not None
    later = moved.forecast_date + dt.timedelta(days=14)
    newer = mhhs_plan(tmp_path, {moved.code: {"forecast": later.isoformat()}})
    result = importer.plan("milestones", newer, programme, mapping)
    assert [(r.key, r.changed) for r in result.rows if r.action == "change"] == [
        ((moved.code,), ["forecast_date"])
    ]
    importer.commit(result, programme, "tests")
    moved.refresh_from_db()
    assert moved.forecast_date == later


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.mpp", b"", "is empty"),
        ("plan.mpp", b"not a plan at all", "is not a plan file"),
        (
            "plan.xer",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
            "is named .xer but is MS Project",
        ),
        (
            "plan.xml",
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
            b'<Project xmlns="http://schemas.microsoft.com/project"><Name>&a;</Name></Project>',
            "declares a DTD or entities",
        ),
        (
            "plan.mpp",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
            "could not be read|plan.mpp:",
        ),
    ],
)
def test_broken_or_hostile_plans_are_refused_cleanly(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    if "could not" in message:
        needed()  # this one reaches Java
    path = tmp_path / name
    path.write_bytes(content)
    before = Milestone.objects.count()
    with pytest.raises(importer.ImportError_, match=message):
        importer.plan(
            "milestones", path, Programme.objects.get(code="mhhs"), Mapping.parse(MHHS_MAPPING)
        )
    assert Milestone.objects.count() == before


def test_a_plan_needs_a_mapping_naming_the_code_field(tmp_path: Path) -> None:
    path = fixture("task-dates-project2013-mspdi.xml")
    programme = Programme.objects.get(code="mhhs")
    with pytest.raises(importer.ImportError_, match="choose a mapping"):
        importer.plan("milestones", path, programme)
    no_code = Mapping.parse({"register": "milestones", "columns": {"Name": "title"}})
    with pytest.raises(importer.ImportError_, match="holds the milestone code"):
        importer.plan("milestones", path, programme, no_code)


def test_an_oversized_plan_is_refused_before_java_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plans, "MAX_BYTES", 1000)
    monkeypatch.setattr(plans, "run", lambda *a, **k: pytest.fail("Java was started"))
    path = tmp_path / "plan.xer"
    path.write_bytes(b"ERMHDR\t8.4" + b"x" * 2000)
    with pytest.raises(plans.PlanError, match="over the 1,000-byte limit"):
        plans.read(path, Mapping.parse(MHHS_MAPPING))


def test_a_plan_uploaded_on_the_import_page_is_previewed_and_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The PMO's path: a saved plan mapping, the MS Project file uploaded, the one changed
    forecast previewed, confirmed, and in the milestone's history as an import."""
    from steerco.transfers import uploads
    from steerco.transfers.models import ColumnMapping
    from tests.transfers_support import COMMIT, ticket_of
    from tests.web_support import make_cast

    needed()
    monkeypatch.setattr(uploads, "ROOT", tmp_path / "uploads")
    programme = Programme.objects.get(code="mhhs")
    saved = ColumnMapping.objects.create(
        programme=programme, name="ms-project", register="milestones", spec=MHHS_MAPPING
    )
    moved = Milestone.objects.get(code="T2-TE-0250")
    later = moved.forecast_date + dt.timedelta(days=7)
    path = mhhs_plan(tmp_path, {moved.code: {"forecast": later.isoformat()}})
    client = make_cast().client("pmo")
    with path.open("rb") as handle:
        preview = client.post(
            reverse("transfers:import", args=["mhhs"]),
            {"register": "milestones", "file": handle, "mapping": saved.pk},
        )
    html = preview.content.decode()
    assert preview.status_code == 200, html[:2000]
    assert f"0 to create, 1 to change, {Milestone.objects.count() - 1} unchanged" in html
    assert Milestone.objects.get(code=moved.code).forecast_date != later  # nothing written yet
    done = client.post(COMMIT, {"ticket": ticket_of(preview)})
    assert done.status_code == 200, done.content.decode()[:2000]
    newest = Milestone.objects.get(code=moved.code).history.first()
    assert newest.forecast_date == later
    assert newest.history_change_reason == f"import {path.name}"
    # What changed shows the slip, in the programme's working days.
    slip = calendar_for("GB", "ENG").working_days_between(moved.forecast_date, later)
    changes = client.get(reverse("web:changes", args=["mhhs"]) + "?register=Milestones")
    html = changes.content.decode()
    assert moved.code in html and f"({slip} working days later)" in html, html[-3000:]
