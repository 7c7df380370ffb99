"""Qualification tranche allocation: each rule of the seed's qualification slides, exercised."""

from __future__ import annotations

import datetime as dt

import pytest

from steerco.planning.allocation import (
    Allocation,
    AllocationError,
    Applicant,
    Readiness,
    Tranche,
    allocate,
    months_before,
)

D = dt.date
AS_OF = D(2024, 1, 15)
READY = Readiness("green", D(2024, 1, 1))


def tranches(*sizes: int) -> list[Tranche]:
    """Tranches executing on the first of September, October, …, 2024; qualifying 3 months on."""
    return [
        Tranche(f"T{n}", D(2024, 8 + n, 1), D(2024 + (n + 10) // 12, (n + 10) % 12 + 1, 1), size)
        for n, size in enumerate(sizes, start=1)
    ]


def applicant(name: str, day: int, **fields: object) -> Applicant:
    return Applicant(name, D(2023, 6, day), **fields)  # type: ignore[arg-type]


def steps(allocation: Allocation, name: str) -> list[tuple[str, str | None]]:
    return [(d.step, d.tranche) for d in allocation.reasons(name)]


def test_first_come_first_served_follows_the_intention_date_not_the_list_order() -> None:
    result = allocate(
        tranches(2, 2),
        [applicant("Late", 20), applicant("Early", 1), applicant("Middle", 10)],
        AS_OF,
    )
    assert result.tranche_of == {"Early": "T1", "Middle": "T1", "Late": "T2"}
    assert "intention 2023-06-20 (#3)" in result.reasons("Late")[0].reason
    assert "T1 full (2 of 2)" in result.reasons("Late")[0].reason


def test_a_preferred_tranche_with_room_is_given() -> None:
    result = allocate(tranches(2, 2, 2), [applicant("A", 1, preferred_tranche="T3")], AS_OF)
    assert result.tranche_of["A"] == "T3"
    assert "preferred T3" in result.reasons("A")[0].reason


def test_a_full_preferred_tranche_gives_the_next_later_one_never_an_earlier_one() -> None:
    result = allocate(
        tranches(3, 1, 1),
        [
            applicant("First", 1, preferred_tranche="T2"),
            applicant("Second", 2, preferred_tranche="T2"),
        ],
        AS_OF,
    )
    assert result.tranche_of == {"First": "T2", "Second": "T3"}
    assert "T2 full (1 of 1); T3 has room" in result.reasons("Second")[0].reason


def test_no_tranche_is_filled_past_its_maximum_size() -> None:
    people = [applicant(f"P{n}", n) for n in range(1, 8)]
    result = allocate(tranches(2, 3), people, AS_OF)
    placed = [result.tranche_of[p.name] for p in people]
    assert placed == ["T1", "T1", "T2", "T2", "T2", None, None]
    assert "no tranche from T1 on has room for 1" in result.reasons("P6")[0].reason


def test_a_tranche_executing_within_six_months_is_closed_to_allocation() -> None:
    # T1 executes 1 Sep 2024: allocation closes 1 Mar 2024. Allocating on 2 Mar skips it.
    result = allocate(tranches(5, 5), [applicant("A", 1)], D(2024, 3, 2))
    assert result.tranche_of["A"] == "T2"
    reason = result.reasons("A")[0].reason
    assert "T1 closed to allocation on 2024-03-01 (6 months before it executes on 2024-09-01)" in (
        reason
    )
    on_time = allocate(tranches(5, 5), [applicant("A", 1)], D(2024, 3, 1))
    assert on_time.tranche_of["A"] == "T1"


def test_six_months_before_the_end_of_august_is_the_end_of_february() -> None:
    assert months_before(D(2024, 8, 31), 6) == D(2024, 2, 29)
    assert months_before(D(2025, 1, 15), 2) == D(2024, 11, 15)


def test_a_tranche_is_confirmed_two_months_ahead_on_readiness_evidence() -> None:
    result = allocate(tranches(2), [applicant("A", 1, readiness=READY)], AS_OF)
    confirmation = result.reasons("A")[1]
    assert confirmation.step == "confirmation"
    assert confirmation.date == D(2024, 7, 1)  # T1 executes 1 Sep
    assert confirmation.reason.startswith("confirmed: readiness assessment green")
    assert result.tranche_of["A"] == "T1"


def test_a_red_readiness_assessment_is_not_confirmed_and_is_re_placed_where_there_is_room() -> None:
    red = Readiness("red", D(2024, 1, 1))
    result = allocate(tranches(2, 2), [applicant("A", 1, readiness=red)], AS_OF)
    assert steps(result, "A") == [
        ("allocation", "T1"),
        ("confirmation", "T1"),
        ("re-placement", "T2"),
        ("confirmation", "T2"),
        ("re-placement", None),
    ]
    assert "not confirmed for T1: readiness assessment is red" in result.reasons("A")[1].reason
    assert result.tranche_of["A"] is None


def test_pit_completing_late_moves_a_participant_to_a_tranche_it_can_be_ready_for() -> None:
    late = Readiness("amber", D(2024, 7, 15))  # after T1's confirmation (1 Jul), before T2's
    result = allocate(tranches(2, 2), [applicant("A", 1, readiness=late)], AS_OF)
    assert result.tranche_of["A"] == "T2"
    assert "PIT completes 2024-07-15, after confirmation on 2024-07-01" in (
        result.reasons("A")[1].reason
    )
    assert result.reasons("A")[-1].reason.startswith("confirmed")


def test_related_companies_that_ask_to_be_grouped_go_to_one_tranche_together() -> None:
    group = {"group": "Big Group", "group_with_related": True}
    result = allocate(
        tranches(3, 3),
        [
            applicant("Solo", 1),
            applicant("Big Retail", 2, **group),
            applicant("Other", 3),
            applicant("Big Business", 4, **group),
            applicant("Big Alone", 2, group="Big Group"),  # same group, asked to go alone
        ],
        AS_OF,
    )
    # Solo and Big Alone and Other fill T1's first places in FCFS order; the group queues at
    # its last member's date (4 June), needs two places and finds them only in T2.
    assert result.tranche_of["Big Retail"] == result.tranche_of["Big Business"] == "T2"
    assert result.tranche_of["Big Alone"] == "T1"
    assert "allocated with related companies of group 'Big Group' (Big Retail, Big Business)" in (
        result.reasons("Big Business")[0].reason
    )


def test_a_drop_out_is_re_placed_only_where_a_later_tranche_has_room() -> None:
    dropping = applicant("Dropper", 1, drops_out=D(2024, 9, 10))  # during T1's testing
    result = allocate(tranches(1, 1, 1), [dropping, applicant("B", 2)], AS_OF)
    # T2 (B's) is full and was confirmed on 1 Aug anyway; T3 confirms 1 Sep… also before the
    # drop-out, so there is no later tranche with room still to come.
    assert result.tranche_of["Dropper"] is None
    assert steps(result, "Dropper")[-1] == ("re-placement", None)
    assert "T3 confirmed on 2024-09-01, too soon" in result.reasons("Dropper")[-1].reason

    early_drop = applicant("Dropper", 1, drops_out=D(2024, 5, 1))
    result = allocate(tranches(1, 1, 1), [early_drop, applicant("B", 2)], AS_OF)
    assert result.tranche_of == {"Dropper": "T3", "B": "T2"}
    assert "dropped out from T1: T2 full (1); T3 has room" in result.reasons("Dropper")[-2].reason


def test_a_drop_out_after_qualifying_changes_nothing() -> None:
    result = allocate(tranches(2), [applicant("A", 1, drops_out=D(2025, 1, 2))], AS_OF)
    assert result.tranche_of["A"] == "T1"
    assert "ignored: already qualified in T1" in result.reasons("A")[-1].reason


def test_every_decision_carries_a_reason() -> None:
    people = [
        applicant("A", 1, readiness=Readiness("red")),
        applicant("B", 2, preferred_tranche="T2", drops_out=D(2024, 6, 1)),
        applicant("C", 3, group="G", group_with_related=True),
        applicant("D", 4, group="G", group_with_related=True),
    ]
    result = allocate(tranches(2, 2, 2), people, AS_OF)
    assert result.decisions and all(d.reason for d in result.decisions)


def test_an_allocation_made_before_is_taken_as_given_and_counts_against_the_size() -> None:
    result = allocate(
        tranches(1, 1), [applicant("New", 1), applicant("Old", 9, tranche="T1")], AS_OF
    )
    assert result.tranche_of == {"Old": "T1", "New": "T2"}
    assert result.reasons("Old")[0].reason == "allocated before this run"


@pytest.mark.parametrize(
    ("tranche_list", "people", "message"),
    [
        (tranches(0), [], "tranche T1: maximum size must be positive, not 0"),
        (tranches(1), [applicant("A", 1, preferred_tranche="T9")], "preferred tranche 'T9'"),
        (tranches(1), [applicant("A", 1), applicant("A", 2)], "participant 'A' applies twice"),
        (
            tranches(1),
            [applicant("A", 1, tranche="T1"), applicant("B", 1, tranche="T1")],
            "tranche T1: 2 participants allocated before this run",
        ),
        (
            tranches(1),
            [applicant("A", 1, readiness=Readiness("purple"))],
            "readiness assessment 'purple'",
        ),
    ],
)
def test_contradictory_inputs_are_refused_naming_the_record(
    tranche_list: list[Tranche], people: list[Applicant], message: str
) -> None:
    with pytest.raises(AllocationError, match=message):
        allocate(tranche_list, people, AS_OF)
