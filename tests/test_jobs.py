"""Long work runs as a background job from the database queue, with progress on the web."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from steerco.jobs.models import Job
from steerco.jobs.tasks import register, runner_for
from steerco.pack.tasks import build_pack

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_keep_test_connection")]


@pytest.fixture
def pmo(settings: Any, tmp_path: Path) -> Client:
    settings.VAR_DIR = tmp_path
    user = get_user_model().objects.create_superuser("pmo-jobs", password="a-long-password-7")
    client = Client()
    client.force_login(user)
    return client


def test_a_pack_build_is_queued_then_run_by_the_worker_with_its_progress_shown(
    pmo: Client, tmp_path: Path
) -> None:
    response = pmo.post("/jobs/build-pack/mhhs/PSG-24/")
    assert response.status_code == 302
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.state == "queued" and job.task_id  # in the queue table, not run yet
    page = pmo.get(f"/jobs/{job.pk}/")
    assert b"Queued" in page.content and b'hx-trigger="every 1s"' in page.content
    call_command(
        "db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO()
    )
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == ("done", 20, 20)  # five steps × four editions
    pdfs = [Path(f) for f in job.result["files"] if f.endswith(".pdf")]
    assert sorted(p.name for p in pdfs) == [
        "PSG-24-members.pdf",
        "PSG-24-participants.pdf",
        "PSG-24-pmo.pdf",
        "PSG-24-public.pdf",
    ]
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    assert not list((tmp_path / "packs").rglob("*.partial"))
    partial = pmo.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    assert b"Done" in partial.content and b"every 1s" not in partial.content
    download = pmo.get("/p/mhhs/meetings/PSG-24/pack.pdf")
    assert download.status_code == 200
    decks = [Path(f).name for f in job.result["files"] if f.endswith(".pptx")]
    assert sorted(decks) == [name.replace(".pdf", ".pptx") for name in sorted(p.name for p in pdfs)]
    deck = pmo.get("/p/mhhs/meetings/PSG-24/pack.pptx?edition=members")
    assert deck.status_code == 200 and deck["Content-Type"].endswith("presentationml.presentation")
    assert b"".join(deck.streaming_content).startswith(b"PK\x03\x04")


def test_the_immediate_backend_runs_the_job_inside_the_request(pmo: Client, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    pmo.post("/jobs/build-pack/mhhs/PSG-24/")
    assert Job.objects.get().state == "done"


def test_a_job_for_an_unknown_meeting_is_refused_before_it_is_queued(pmo: Client) -> None:
    assert pmo.post("/jobs/build-pack/mhhs/PSG-99/").status_code == 404
    assert not Job.objects.exists()


def test_each_kind_of_job_is_run_by_the_task_its_own_feature_registers() -> None:
    owners = {kind: getattr(runner_for(kind), "__module__", None) for kind in Job.Kind}
    assert owners == {
        Job.Kind.PACK: "steerco.pack.tasks",
        Job.Kind.PLAN: "steerco.planning.tasks",
        Job.Kind.IMPORT: "steerco.transfers.tasks",
    }


def test_a_second_runner_for_a_kind_of_job_is_refused() -> None:
    with pytest.raises(ValueError, match="job kind pack already runs build_pack"):
        register(Job.Kind.PACK, lambda job: {})
    register(Job.Kind.PACK, build_pack)  # the same runner again changes nothing
    assert runner_for(Job.Kind.PACK) is build_pack
