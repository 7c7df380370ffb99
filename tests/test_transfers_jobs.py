"""Large imports from the web run as background jobs: the preview and the confirmed commit
each queued for the worker, with progress on the job page, the preview shown to the editors
with the confirm form for the uploader only, the register compared again before writing,
and all of it or none of it written."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from steerco.core.history import acting
from steerco.io import importer
from steerco.io.loader import LoadError
from steerco.jobs.models import Job
from steerco.milestones.models import Milestone
from steerco.transfers import uploads
from tests.test_load import state
from tests.transfers_support import COMMIT, milestones_csv, ticket_of, upload
from tests.web_support import Cast, make_cast

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_keep_test_connection")]

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
QUEUED_STATES = ("jobs.", "django_tasks_database.")  # the queue itself, not register data


@pytest.fixture
def cast(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Any) -> Cast:
    monkeypatch.setattr(uploads, "ROOT", tmp_path / "uploads")
    settings.IMPORT_INLINE_BYTES = 0  # every upload is large
    return make_cast()


def work() -> None:
    """Run everything queued, as `steerco db_worker` does."""
    call_command(
        "db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO()
    )


def job_page(job: Job) -> str:
    return reverse("jobs:detail", args=[job.pk])


def result_page(job: Job) -> str:
    return reverse("transfers:import-job", args=["mhhs", job.pk])


def registers() -> dict[str, object]:
    """The database's content without the job queue."""
    found = state()
    counts: dict[str, int] = found["counts"]  # type: ignore[assignment]
    kept = {label: n for label, n in counts.items() if not label.startswith(QUEUED_STATES)}
    return {**found, "counts": kept}


def rag() -> str:
    return Milestone.objects.get(code="T2-TE-0250").rag


def test_a_large_upload_is_previewed_by_the_worker_and_imported_once_confirmed(
    cast: Cast,
) -> None:
    client = cast.client("pmo")
    content = milestones_csv({"rag": "red", "commentary": "Core providers not ready"})
    response = upload(client, "plan.csv", content)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job_page(job)
    assert (job.kind, job.state, job.params["step"]) == ("import", "queued", "preview")
    assert job.task_id and job.requested_by == cast.users["pmo"]
    waiting = client.get(job_page(job)).content.decode()
    assert "Queued" in waiting and 'hx-trigger="every 1s"' in waiting
    assert "plan.csv into milestones (preview)" in waiting
    assert client.get(result_page(job))["Location"] == job_page(job)  # nothing to show yet

    work()

    job.refresh_from_db()
    assert (job.state, job.done, job.total) == ("done", 5, 5)
    assert "See the preview" in client.get(job_page(job)).content.decode()
    preview = client.get(result_page(job))
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "0 to create, 1 to change, 26 unchanged" in html
    assert "T2-TE-0250" in html and "commentary, rag" in html
    assert rag() == "yellow", "the preview wrote nothing"

    confirmed = client.post(COMMIT, {"ticket": ticket_of(preview)})
    commit = Job.objects.get(params__step="commit")
    assert confirmed["Location"] == job_page(commit) and commit.state == "queued"
    twice = client.post(COMMIT, {"ticket": ticket_of(preview)})
    assert twice["Location"] == job_page(commit), "a form sent twice queues one commit"
    assert Job.objects.count() == 2 and rag() == "yellow"

    work()

    commit.refresh_from_db()
    assert (commit.state, commit.done, commit.total) == ("done", 5, 5)
    assert "See the result" in client.get(job_page(commit)).content.decode()
    done = client.get(result_page(commit))
    assert done.status_code == 200
    assert "0 created, 1 changed, 26 unchanged" in done.content.decode()
    newest = Milestone.objects.get(code="T2-TE-0250").history.first()
    assert (newest.rag, newest.history_actor) == ("red", "mhhs-pmo")
    assert newest.history_change_reason == "import plan.csv"
    assert not any(uploads.ROOT.iterdir()), "the upload is deleted once imported"
    assert client.post(COMMIT, {"ticket": ticket_of(preview)}).status_code == 400


def test_a_register_edited_between_preview_and_commit_gives_the_notice_and_writes_nothing(
    cast: Cast,
) -> None:
    client = cast.client("pmo")
    upload(client, "plan.csv", milestones_csv({"rag": "red"}))
    work()
    preview = client.get(result_page(Job.objects.get()))
    client.post(COMMIT, {"ticket": ticket_of(preview)})
    with acting("someone else", "meanwhile"):
        milestone = Milestone.objects.get(code="T3-DB-0035")
        milestone.commentary = "changed meanwhile"
        milestone.save()
    before = registers()

    work()

    commit = Job.objects.get(params__step="commit")
    stale = client.get(result_page(commit))
    assert commit.state == "done" and stale.status_code == 409
    assert "changed since your preview" in stale.content.decode()
    # The new preview shows the file would now undo the edit made meanwhile.
    assert "2 to change" in stale.content.decode() and "T3-DB-0035" in stale.content.decode()
    assert registers() == before and rag() == "yellow"
    again = client.post(COMMIT, {"ticket": ticket_of(stale)})
    assert again.status_code == 302 and again["Location"] != job_page(commit)
    work()
    assert rag() == "red"


def test_another_editor_sees_the_preview_but_cannot_use_the_uploaders_ticket(
    cast: Cast,
) -> None:
    upload(cast.client("pmo"), "plan.csv", milestones_csv({"rag": "red"}))
    work()
    job = Job.objects.get()
    ticket = ticket_of(cast.client("pmo").get(result_page(job)))
    admin = cast.client("admin")
    seen = admin.get(result_page(job)).content.decode()
    assert "1 to change" in seen and 'name="ticket"' not in seen
    assert "Only mhhs-pmo may confirm this import" in seen
    assert admin.post(COMMIT, {"ticket": ticket}).status_code == 400
    assert Job.objects.count() == 1 and rag() == "yellow"


@pytest.mark.parametrize("persona", ["dcc", "steering"])
def test_participants_and_the_steering_group_are_refused(cast: Cast, persona: str) -> None:
    upload(cast.client("pmo"), "plan.csv", milestones_csv({"rag": "red"}))
    work()
    job = Job.objects.get()
    ticket = ticket_of(cast.client("pmo").get(result_page(job)))
    client = cast.client(persona)
    assert client.get(result_page(job)).status_code == 403
    assert client.get(job_page(job)).status_code == 403
    assert client.post(COMMIT, {"ticket": ticket}).status_code == 403
    assert upload(client, "plan.csv", milestones_csv({})).status_code == 403
    assert Job.objects.count() == 1 and rag() == "yellow"
    assert "/accounts/login/" in cast.client("anonymous").get(result_page(job))["Location"]


def test_a_file_with_problems_is_previewed_with_them_and_not_kept(cast: Cast) -> None:
    client = cast.client("pmo")
    bad = b"code,title,baseline_date\nT3-XX-0001,Fine,2023-12-01\nT3-XX-0002,Bad,soon\n"
    upload(client, "bad.csv", bad)
    work()
    response = client.get(result_page(Job.objects.get()))
    html = response.content.decode()
    assert response.status_code == 400 and 'id="problems"' in html
    assert "soon" in html and "invalid date format" in html and 'name="ticket"' not in html
    assert not any(uploads.ROOT.iterdir())


def test_a_job_whose_upload_is_gone_fails_with_a_clear_message_and_writes_nothing(
    cast: Cast,
) -> None:
    client = cast.client("pmo")
    upload(client, "plan.csv", milestones_csv({"rag": "red"}))
    job = Job.objects.get()
    uploads.discard(job.params["upload"])  # expired before the worker got to it
    work()
    job.refresh_from_db()
    assert job.state == "failed" and "no longer kept" in job.error
    assert "Traceback" not in job.error
    page = client.get(job_page(job)).content.decode()
    assert "no longer kept" in page and "Upload a file again" in page
    assert client.get(result_page(job))["Location"] == job_page(job)


def test_a_commit_that_fails_while_writing_fails_the_job_and_writes_nothing(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = cast.client("pmo")
    upload(client, "plan.csv", milestones_csv({"rag": "red", "commentary": "x"}))
    work()
    client.post(COMMIT, {"ticket": ticket_of(client.get(result_page(Job.objects.get())))})
    before = registers()
    applied = importer._apply

    def fail_after_writing(planned: Any, *args: Any) -> None:
        applied(planned, *args)  # the row is written, then the import fails
        raise LoadError("plan.csv", "a reference that cannot be written", row=planned.row)

    monkeypatch.setattr(importer, "_apply", fail_after_writing)
    work()
    commit = Job.objects.get(params__step="commit")
    assert commit.state == "failed"
    assert "a reference that cannot be written" in commit.error
    assert "Nothing was written" in commit.error
    assert registers() == before and rag() == "yellow"
    assert not any(uploads.ROOT.iterdir())


def test_an_upload_up_to_the_threshold_is_previewed_in_the_request(
    cast: Cast, settings: Any
) -> None:
    client = cast.client("pmo")
    content = milestones_csv({"rag": "red"})
    settings.IMPORT_INLINE_BYTES = len(content)
    inline = upload(client, "plan.csv", content)
    assert inline.status_code == 200 and "1 to change" in inline.content.decode()
    assert not Job.objects.exists()
    settings.IMPORT_INLINE_BYTES = len(content) - 1
    assert upload(client, "plan.csv", content).status_code == 302
    assert Job.objects.get().state == "queued"


def test_the_immediate_backend_previews_and_imports_inside_the_request(
    cast: Cast, settings: Any
) -> None:
    settings.TASKS = IMMEDIATE
    client = cast.client("pmo")
    upload(client, "plan.csv", milestones_csv({"rag": "red"}))
    preview = client.get(result_page(Job.objects.get()))
    assert preview.status_code == 200 and "1 to change" in preview.content.decode()
    client.post(COMMIT, {"ticket": ticket_of(preview)})
    commit = Job.objects.get(params__step="commit")
    assert commit.state == "done" and rag() == "red"
