"""Forecast history and derived confidence on small histories computed by hand (no database):
a milestone re-forecast three times, one never moved, one achieved late, a slip over the
Easter bank holidays. The method: docs/confidence.md.

Meetings: the first Wednesday of January to May 2024 (slots 0–4). England's calendar:
Good Friday 29 March, Easter Monday 1 April, 6 and 27 May 2024 are bank holidays."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from steerco.core.calendar import calendar_for
from steerco.dashboards.basis import MemoryFrame
from steerco.dashboards.confidence import confidences, lowest
from steerco.rules.confidence import (
    ConfidenceConfig,
    Days,
    Model,
    Point,
    Track,
    backtest,
    history,
    judge,
    outcome,
)
from steerco.rules.frame import RulesConfig

D = dt.date
MEETINGS = [D(2024, 1, 3), D(2024, 2, 7), D(2024, 3, 6), D(2024, 4, 3), D(2024, 5, 1)]
CALENDAR = calendar_for("GB", "ENG")

# code → (workstream, {slot: (forecast, rag, actual)})
NEVER_MOVED = "T1-TE-0004"
REFORECAST = "T1-TE-0003"
LATE = "T1-TE-0002"
ON_TIME = "T1-TE-0001"
OTHER = "T1-DB-0005"
PLAN: dict[str, tuple[str, dict[int, tuple[D, str, D | None]]]] = {
    ON_TIME: ("TE", {s: (D(2024, 2, 20), "green", None) for s in range(5)}),
    LATE: (
        "TE",
        {0: (D(2024, 2, 14), "green", None), 1: (D(2024, 2, 14), "amber", None)}
        | {s: (D(2024, 2, 14), "blue", D(2024, 2, 28)) for s in (2, 3, 4)},
    ),
    REFORECAST: (
        "TE",
        {
            0: (D(2024, 6, 3), "green", None),
            1: (D(2024, 6, 17), "amber", None),
            2: (D(2024, 7, 1), "amber", None),
            3: (D(2024, 7, 15), "red", None),
            4: (D(2024, 7, 15), "red", None),
        },
    ),
    NEVER_MOVED: ("TE", {s: (D(2024, 6, 5), "green", None) for s in range(5)}),
    OTHER: ("DB", {s: (D(2024, 3, 20), "green", None) for s in (1, 2, 3, 4)}),
}
IDS = {code: n for n, code in enumerate(PLAN, 1)}


def meeting(slot: int) -> dict[str, Any]:
    day = MEETINGS[slot]
    cutoff = dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)
    return {"id": 100 + slot, "code": f"PSG-{slot + 1}", "date": day, "cutoff": cutoff}


def milestone(code: str, slot: int) -> dict[str, Any] | None:
    workstream, states = PLAN[code]
    if slot not in states:
        return None
    forecast, rag, actual = states[slot]
    return {
        "id": IDS[code],
        "code": code,
        "workstream": workstream,
        "title": f"Milestone {code}",
        "order": IDS[code],
        "forecast_date": forecast,
        "rag": rag,
        "actual_date": actual,
    }


def memory(**more: list[tuple[dict[str, Any], list[dict[str, Any]]]]) -> MemoryFrame:
    held = [(meeting(s), [m for c in PLAN if (m := milestone(c, s)) is not None]) for s in range(5)]
    return MemoryFrame(calendar=CALENDAR, histories={"milestones": held, **more})


def track(code: str, stated: str = "") -> Track:
    workstream, states = PLAN[code]
    points = tuple(
        Point(s, f"PSG-{s + 1}", MEETINGS[s], f, rag, actual, stated)
        for s, (f, rag, actual) in sorted(states.items())
    )
    return Track(code, "programme", workstream, code, points)


TRACKS = [track(code) for code in PLAN]


def test_a_milestone_re_forecast_three_times_has_three_reforecasts_and_its_slips() -> None:
    found = history(track(REFORECAST), Days(CALENDAR))
    assert found.reforecasts == 3
    # 3 Jun → 17 Jun → 1 Jul → 15 Jul 2024: ten working days each, none a bank holiday.
    assert [s.slip for s in found.steps] == [None, 10, 10, 10, 0]
    assert found.total_slip == 30
    assert [s.forecast for s in found.steps][-1] == D(2024, 7, 15)


def test_a_milestone_never_moved_has_no_reforecast_and_no_slip() -> None:
    found = history(track(NEVER_MOVED), Days(CALENDAR))
    assert found.reforecasts == 0
    assert [s.slip for s in found.steps] == [None, 0, 0, 0, 0]
    assert found.total_slip == 0


def test_a_slip_over_easter_counts_the_bank_holidays_out() -> None:
    points = (
        Point(0, "PSG-1", MEETINGS[0], D(2024, 3, 28)),
        Point(1, "PSG-2", MEETINGS[1], D(2024, 4, 2)),
    )
    found = history(Track("X", "programme", "TE", "X", points), Days(CALENDAR))
    # Thursday 28 March to Tuesday 2 April: five calendar days, one working day (Good
    # Friday and Easter Monday are bank holidays), the same as the calendar's own count.
    assert found.steps[1].slip == 1 == CALENDAR.working_days_between(D(2024, 3, 28), D(2024, 4, 2))


def test_a_milestone_achieved_late_settles_on_its_actual_date_and_did_not_hold() -> None:
    assert outcome(track(LATE)) == (2, D(2024, 2, 28))
    model = Model(TRACKS, CALENDAR, ConfidenceConfig())
    # Forecast 14 Feb, achieved 28 Feb: ten working days late, beyond the five tolerated.
    assert [held for _, _, held, _ in model.forecasts(track(LATE))] == [False, False]
    assert [held for _, _, held, _ in model.forecasts(track(ON_TIME))] == [True, True]
    assert outcome(track(REFORECAST)) is None  # still ahead at the last meeting


def test_the_derived_confidence_is_the_partys_share_drawn_to_the_programmes() -> None:
    model = Model(TRACKS, CALENDAR, ConfidenceConfig())
    estimate = model.estimate(track(NEVER_MOVED), 4)
    assert estimate is not None
    # At 1 May, 23 working days ahead (two May bank holidays out): band 21–60, no slip yet.
    assert (estimate.cell.band, estimate.cell.slipped) == (1, False)
    # In that cell the programme's settled forecasts: on time (held), late (not), DB's
    # (held): 2 of 3; TE's: 1 of 2. Programme (2 + 5 × 0.8) / (3 + 5) = 0.75; TE
    # (1 + 5 × 0.75) / (2 + 5) = 0.678…: Medium.
    assert (estimate.programme_held, estimate.programme_made) == (2, 3)
    assert (estimate.party_held, estimate.party_made) == (1, 2)
    assert estimate.probability == pytest.approx(4.75 / 7)
    assert estimate.band == "medium"


def test_an_already_slipped_milestone_is_judged_in_its_own_cell() -> None:
    model = Model(TRACKS, CALENDAR, ConfidenceConfig())
    estimate = model.estimate(track(REFORECAST), 4)
    assert estimate is not None
    assert estimate.cell.slipped  # 30 working days later than first recorded
    assert estimate.programme_made == 0 and estimate.probability == pytest.approx(0.8)


def test_a_stated_confidence_the_record_does_not_support_is_flagged_with_its_reason() -> None:
    thin = judge(track(NEVER_MOVED, "high"), Model(TRACKS, CALENDAR, ConfidenceConfig()))
    assert not thin.disagrees  # two forecasts of TE's in the cell: too few to contradict
    assert "too little record" in thin.reason
    config = ConfidenceConfig(min_evidence=2)
    found = judge(track(NEVER_MOVED, "high"), Model(TRACKS, CALENDAR, config))
    assert found.disagrees and found.stated == "high"
    assert found.reason == (
        "Of the forecasts TE made 21–60 working days before their date with no slip yet, "
        "1 of 2 held within 5 working days; across the programme 2 of 3: a 68% chance this "
        "one holds (Medium). Stated High: higher than the record supports."
    )
    agrees = judge(track(NEVER_MOVED, "medium"), Model(TRACKS, CALENDAR, config))
    assert not agrees.disagrees


def test_the_back_test_scores_each_forecast_with_what_was_known_then() -> None:
    found = backtest(TRACKS, Model(TRACKS, CALENDAR, ConfidenceConfig()))
    # On time, late and DB's: two forecasts each. Nothing had settled before PSG-3, so
    # five are judged at the prior 0.8; DB's at PSG-3 (band 0–20) by the on-time and late
    # ones settled there: programme (1 + 4) / (2 + 5) = 5/7, DB none of its own.
    assert (found.forecasts, found.held, found.milestones) == (6, 4, 3)
    assert found.brier == pytest.approx((3 * 0.2**2 + 2 * 0.8**2 + (2 / 7) ** 2) / 6)
    assert found.brier_naive == pytest.approx(2 / 6)
    assert found.beats_naive
    assert found.hits == 4  # every chance ≥ 0.5: right exactly where the forecast held


def test_float_runs_to_the_earliest_dependent_milestone_or_gate() -> None:
    last = meeting(4)
    links = [(last, [{"milestone_id": IDS[REFORECAST], "predecessor_code": NEVER_MOVED}])]
    gates = [(last, [{"id": 7, "milestone_code": REFORECAST}])]
    criteria = [(last, [{"gate_id": 7, "target_code": LATE}])]
    found = confidences(
        memory(
            **{
                "milestones.predecessors": links,
                "gates": gates,
                "gates.criteria": criteria,
            }
        )
    )
    never = found.of(NEVER_MOVED)
    assert never is not None
    # 5 June → 15 July 2024: 40 calendar days, 28 working days (no bank holiday between).
    assert (never.float_days, never.next_dependent) == (28, REFORECAST)
    late = found.of(LATE)
    # 14 Feb → 15 Jul: 108 weekdays less Good Friday, Easter Monday, 6 and 27 May.
    assert late is not None and (late.float_days, late.next_dependent) == (
        104,
        f"gate {REFORECAST}",
    )
    assert found.of(ON_TIME) is not None and found.of(ON_TIME).float_days is None  # type: ignore[union-attr]


def test_the_lowest_confidence_milestones_are_those_judged_least_likely_to_hold() -> None:
    source = memory()
    found = lowest(source)
    assert [m.key for m in found] == [NEVER_MOVED, REFORECAST]  # 0.68, then 0.8
    assert all(m.probability is not None for m in found)
    assert [m.key for m in lowest(source, 1)] == [NEVER_MOVED]
    judged = confidences(source).of(ON_TIME)
    assert judged is not None and judged.probability is None
    assert judged.judgement.reason == "Not judged: due at PSG-5."


def test_the_settings_come_from_the_programmes_rules_config() -> None:
    data = {"confidence": {"tolerance_days": 10, "distance_bands": [60, 20], "lowest": 3}}
    config = RulesConfig.of(type("P", (), {"rules_config": data})())  # type: ignore[arg-type]
    assert config.confidence.tolerance_days == 10
    assert config.confidence.distance_bands == (20, 60)
    assert config.confidence.lowest == 3
    with pytest.raises(ValueError, match="chances"):
        ConfidenceConfig.of({"high": 0.4, "medium": 0.6})
