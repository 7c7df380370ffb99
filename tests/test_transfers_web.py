"""Spreadsheets on the web pages: a download on every register page (any meeting, only what
the person may see) and the import page: upload → preview → confirm, all or nothing."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from steerco.core.history import acting
from steerco.milestones.models import Milestone
from steerco.registers import PAGES as REGISTERS
from steerco.transfers import uploads
from tests.test_load import state
from tests.transfers_support import COMMIT, IMPORT, milestones_csv, rows_of, ticket_of, upload
from tests.web_support import Cast, make_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cast:
    monkeypatch.setattr(uploads, "ROOT", tmp_path / "uploads")
    return make_cast()


def download(client: Client, register: str, query: str) -> Any:
    return client.get(reverse("transfers:download", args=["mhhs", register]) + query)


def test_every_register_page_has_downloads_and_only_editors_an_import_link(cast: Cast) -> None:
    for persona, imports in (("pmo", True), ("steering", False)):
        client = cast.client(persona)
        for register in REGISTERS:
            page = client.get(reverse("web:register-list", args=["mhhs", register.slug]))
            html = page.content.decode()
            assert reverse("transfers:download", args=["mhhs", register.slug]) in html
            assert 'value="xlsx"' in html and 'value="csv"' in html and ">PSG-23<" in html
            assert (IMPORT in html) is imports, (persona, register.slug)


def test_a_download_is_the_register_as_steerco_export_gives_it_at_any_meeting(
    cast: Cast,
) -> None:
    client = cast.client("steering")
    response = download(client, "milestones", "?format=csv&as_of=PSG-23")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="mhhs-milestones-PSG-23.csv"' in response["Content-Disposition"]
    out = io.StringIO()
    call_command("export", "milestones", "--format", "csv", "--as-of", "PSG-23", stdout=out)
    assert rows_of(response.content) == rows_of(out.getvalue().encode())
    book = download(client, "raid", "?format=xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(book.content), read_only=True)
    assert workbook.sheetnames == ["items"]  # the RAID log; its themes are a register of their own
    themes = download(client, "raid-themes", "?format=xlsx")
    assert openpyxl.load_workbook(io.BytesIO(themes.content)).sheetnames == ["themes"]


def test_a_download_holds_only_what_the_person_may_see(cast: Cast) -> None:
    title = cast.draft.title.encode()
    for persona, sees in (("recco", False), ("steering", False), ("dcc", True), ("pmo", True)):
        content = download(cast.client(persona), "reports", "?format=csv").content
        assert (title in content) is sees, persona
    organisations = download(cast.client("pmo"), "organisations", "?format=csv").content
    assert b"contacts_bound" not in organisations  # accounts are not register data


def test_a_download_for_an_unknown_meeting_or_format_is_refused(cast: Cast) -> None:
    client = cast.client("pmo")
    assert download(client, "raid", "?as_of=PSG-99").status_code == 400
    assert download(client, "raid", "?format=pdf").status_code == 400
    assert download(client, "nothing", "").status_code == 404


def test_upload_preview_and_confirm_import_all_of_it_with_the_importer_in_history(
    cast: Cast,
) -> None:
    client = cast.client("pmo")
    assert 'value="raid" selected' in client.get(IMPORT + "?register=raid").content.decode()
    content = milestones_csv({"rag": "red", "commentary": "Core providers not ready"})
    preview = upload(client, "plan.csv", content)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "0 to create, 1 to change, 26 unchanged" in html
    assert "T2-TE-0250" in html and "commentary, rag" in html
    assert Milestone.objects.get(code="T2-TE-0250").rag == "yellow"  # the preview wrote nothing
    done = client.post(COMMIT, {"ticket": ticket_of(preview)})
    assert done.status_code == 200 and "0 created, 1 changed, 26 unchanged" in done.content.decode()
    newest = Milestone.objects.get(code="T2-TE-0250").history.first()
    assert (newest.rag, newest.history_actor) == ("red", "mhhs-pmo")
    assert newest.history_change_reason == "import plan.csv"
    assert not any(uploads.ROOT.iterdir()), "the upload is deleted once imported"
    again = client.post(COMMIT, {"ticket": ticket_of(preview)})
    assert again.status_code == 400, "a preview is confirmed once"


def test_a_bad_file_shows_its_problems_and_writes_nothing(cast: Cast) -> None:
    client = cast.client("pmo")
    before = state()
    bad = b"code,title,baseline_date\nT3-XX-0001,Fine,2023-12-01\nT3-XX-0002,Bad,soon\n"
    response = upload(client, "bad.csv", bad)
    html = response.content.decode()
    assert response.status_code == 400 and 'id="problems"' in html
    assert "soon" in html and "baseline_date" in html and "invalid date format" in html
    assert 'name="ticket"' not in html
    fake = upload(client, "fake.xlsx", b"not a zip at all")
    assert fake.status_code == 400 and "is not an xlsx" in fake.content.decode()
    assert "Nothing was written" in fake.content.decode()
    empty = upload(client, "empty.csv", b"")
    assert empty.status_code == 400 and "empty" in empty.content.decode()
    assert state() == before
    assert not uploads.ROOT.exists() or not any(uploads.ROOT.iterdir())


def test_a_register_changed_since_the_preview_is_previewed_again(cast: Cast) -> None:
    client = cast.client("pmo")
    preview = upload(client, "plan.csv", milestones_csv({"rag": "red"}))
    with acting("someone else", "meanwhile"):
        milestone = Milestone.objects.get(code="T3-DB-0035")
        milestone.commentary = "changed meanwhile"
        milestone.save()
    stale = client.post(COMMIT, {"ticket": ticket_of(preview)})
    assert stale.status_code == 409 and "changed since your preview" in stale.content.decode()
    assert Milestone.objects.get(code="T2-TE-0250").rag == "yellow"
    assert client.post(COMMIT, {"ticket": ticket_of(stale)}).status_code == 200
    assert Milestone.objects.get(code="T2-TE-0250").rag == "red"


def test_a_preview_is_confirmed_only_by_the_person_who_made_it(cast: Cast) -> None:
    preview = upload(cast.client("pmo"), "plan.csv", milestones_csv({"rag": "red"}))
    ticket = ticket_of(preview)
    assert cast.client("admin").post(COMMIT, {"ticket": ticket}).status_code == 400
    assert cast.client("pmo").post(COMMIT, {"ticket": ticket + "x"}).status_code == 400
    assert Milestone.objects.get(code="T2-TE-0250").rag == "yellow"


def test_only_the_pmo_and_admins_reach_the_import_page_and_posts_need_csrf(cast: Cast) -> None:
    assert cast.client("steering").get(IMPORT).status_code == 403
    assert upload(cast.client("dcc"), "plan.csv", b"code\nX\n").status_code == 403
    assert "/accounts/login/" in cast.client("anonymous").get(IMPORT)["Location"]
    strict = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    strict.force_login(cast.users["pmo"])
    assert upload(strict, "plan.csv", milestones_csv({})).status_code == 403


def test_an_import_never_touches_accounts(cast: Cast) -> None:
    content = b'name,kind,contacts_bound\nDCC,core_provider,"[]"\n'
    response = upload(cast.client("pmo"), "orgs.csv", content, register="organisations")
    assert response.status_code == 400
    assert "accounts are managed in the admin" in response.content.decode()
