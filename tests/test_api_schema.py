"""schemathesis against the OpenAPI document the application serves: generated requests for
every operation, and every record of every register now and at PSG-23, all answered without
a server error and within the documented statuses, content types and shapes."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from steerco.registers import PAGES as REGISTERS
from steerco.wsgi import application
from tests.api_support import Callers, make_callers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_keep_test_connection")]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 4  # per operation and mode: enough to reach every branch's status, in seconds


@pytest.fixture
def callers() -> Callers:
    return make_callers()


@pytest.fixture
def schema() -> Any:
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


def fuzz(
    operation: Any, headers: dict[str, str], mode: Any, checks: list[Callable[..., Any]]
) -> None:
    fixed = {"programme": "mhhs"} if "{programme}" in operation.path else None
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=fixed)

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        case.validate_response(case.call(headers=headers), checks=checks)

    run()


def test_generated_requests_get_no_server_error_and_no_schema_violation(
    callers: Callers, schema: Any
) -> None:
    headers = {"Authorization": f"Bearer {callers.secrets['pmo']}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    # Index, programme, export, milestone confidence; each register's list, create, read,
    # edit and delete.
    assert len(operations) == 4 + 5 * len(REGISTERS)
    for operation in operations:
        fuzz(operation, headers, schemathesis.GenerationMode.POSITIVE, CHECKS)
        # Requests that break the schema: refused with a 4xx, never a 500. (An operation with
        # nothing to break, the index, has no such requests.)
        with contextlib.suppress(Unsatisfiable):
            fuzz(operation, headers, schemathesis.GenerationMode.NEGATIVE, [not_a_server_error])


@pytest.mark.parametrize("persona", ["pmo", "dcc"])
def test_every_record_of_every_register_matches_the_schema_now_and_at_psg23(
    callers: Callers, schema: Any, persona: str
) -> None:
    headers = {"Authorization": f"Bearer {callers.secrets[persona]}"}
    for register in REGISTERS:
        listing = schema[f"/api/p/{{programme}}/registers/{register.slug}/"]["GET"]
        item = schema[f"/api/p/{{programme}}/registers/{register.slug}/{{id}}/"]["GET"]
        for query in ({"page_size": 500}, {"page_size": 500, "as_of": "PSG-23"}):
            case = listing.Case(path_parameters={"programme": "mhhs"}, query=query)
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS)
            assert response.status_code == 200 and response.json()["pages"] == 1
            for row in response.json()["results"][:3]:
                one = item.Case(
                    path_parameters={"programme": "mhhs", "id": row["id"]},
                    query={k: v for k, v in query.items() if k == "as_of"},
                )
                answer = one.call(headers=headers)
                one.validate_response(answer, checks=CHECKS)
                assert answer.json() == row


def test_edits_and_conflicts_match_the_schema(callers: Callers, schema: Any) -> None:
    headers = {"Authorization": f"Bearer {callers.secrets['pmo']}"}
    edit = schema["/api/p/{programme}/registers/raid/{id}/"]["PATCH"]
    read = schema["/api/p/{programme}/registers/raid/{id}/"]["GET"]
    where = {"programme": "mhhs", "id": 15}
    version = read.Case(path_parameters=where).call(headers=headers).json()["version"]
    for body, status in (
        ({"version": version, "reason": "schema", "owner": "A"}, 200),
        ({"version": version, "reason": "stale", "owner": "B"}, 409),
        ({"version": version, "reason": "bad", "current_score": 99}, 400),
    ):
        case = edit.Case(path_parameters=where, body=body, media_type="application/json")
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS)
        assert response.status_code == status, response.json()
