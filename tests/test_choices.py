"""steerco.core.choices and steerco.core.colours: each enumeration member's value, label and
colour in one place, and one rule for the text on a coloured badge."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import models
from django.utils.module_loading import import_string
from drf_spectacular.plumbing import deep_import_string

from steerco import charts
from steerco.core import choices
from steerco.core.choices import RAG, Band, ColouredChoices, schema_enum_names
from steerco.core.colours import (
    DARK_INK,
    LIGHT_INK,
    badge_html,
    contrast_ratio,
    ink_for,
    relative_luminance,
    unknown_badge_html,
)
from steerco.pack.cells import badge as pack_badge
from steerco.pack.document import Badge
from steerco.pack.templatetags.steerco_pack import pack_cell
from steerco.web.templatetags.steerco_web import badge as web_badge

COLOURED = [
    enum
    for enum in vars(choices).values()
    if isinstance(enum, type) and issubclass(enum, ColouredChoices) and len(enum)
]


def test_a_coloured_member_without_its_colour_is_refused_when_its_class_is_defined() -> None:
    with pytest.raises(TypeError, match=r"Signal\.AMBER"):

        class Signal(ColouredChoices):
            RED = "red", "Red", "#c62828"
            AMBER = "amber", "Amber"


def test_a_coloured_member_whose_colour_is_not_hex_is_refused() -> None:
    with pytest.raises(TypeError, match=r"Signal\.RED"):

        class Signal(ColouredChoices):
            RED = "red", "Red", "red"


def test_coloured_enumerations_stay_django_choices_with_plain_labels() -> None:
    assert RAG.choices[:2] == [("red", "Red"), ("amber", "Amber")]
    assert RAG("amber").label == "Amber" and type(RAG.AMBER.label) is str
    assert RAG.AMBER == "amber" and "amber" in RAG.values
    assert Band.labels == ["Critical", "High", "Medium", "Low"]


def test_each_member_answers_the_colour_written_beside_it() -> None:
    assert RAG.colour("amber") == "#ef6c00"
    assert RAG.colour(RAG.YELLOW) == "#f9a825"
    assert Band.colour("critical") == "#6a1b9a"
    assert choices.ParticipationStatus.colour("tbc") == "#cfd8dc"


def test_a_value_outside_its_enumeration_or_none_is_drawn_grey() -> None:
    assert RAG.colour("pink") == RAG.colour(None) == RAG.colour("") == choices.UNKNOWN_COLOUR


def test_colours_are_not_shared_by_name_across_enumerations() -> None:
    # "open" is magenta for an action; RaidStatus has an "open" too but no colour at all.
    assert choices.ActionStatus.colour("open") == "#ad1457"
    assert not issubclass(choices.RaidStatus, ColouredChoices)


def test_schema_enum_names_name_every_enumeration_in_core_choices() -> None:
    names = schema_enum_names()
    defined = {
        enum
        for enum in vars(choices).values()
        if isinstance(enum, type) and issubclass(enum, models.Choices) and len(enum)
    }
    assert {import_string(path) for path in names.values()} == defined
    assert names["RagEnum"] == "steerco.core.choices.RAG"
    assert names["OrganisationKindEnum"] == "steerco.core.choices.OrganisationKind"


def test_settings_name_the_model_nested_enumerations_too() -> None:
    overrides = settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]
    assert overrides == schema_enum_names(
        ApplicationState="steerco.qualification.models.Application.State",
        CriterionKind="steerco.milestones.models.GateCriterion.Kind",
    )
    for name, path in overrides.items():
        enum = deep_import_string(path)
        assert isinstance(enum, type) and issubclass(enum, models.Choices), name


def test_a_nested_enumeration_named_like_a_core_one_is_refused() -> None:
    with pytest.raises(ValueError, match="Band"):
        schema_enum_names(Band="steerco.finance.models.Finance.Measure")


def test_relative_luminance_and_contrast_follow_wcag() -> None:
    assert relative_luminance("#000000") == 0 and relative_luminance("#ffffff") == 1
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#000000") == contrast_ratio("#000000", "#ffffff")
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    with pytest.raises(ValueError):
        relative_luminance("#fff")


def test_the_ink_is_whichever_of_dark_and_white_contrasts_more() -> None:
    assert ink_for("#ffffff") == DARK_INK
    assert ink_for("#000000") == LIGHT_INK
    # Amber with white text is about 3:1; the rule picks dark text instead.
    assert contrast_ratio("#ef6c00", LIGHT_INK) < 3.1
    assert ink_for("#ef6c00") == DARK_INK


@pytest.mark.parametrize(
    ("enum", "value"),
    [(enum, member.value) for enum in COLOURED for member in enum],
    ids=lambda v: v if isinstance(v, str) else v.__name__,
)
def test_every_coloured_member_badge_text_reaches_four_and_a_half_to_one(
    enum: type[ColouredChoices], value: str
) -> None:
    colour = enum.colour(value)
    assert contrast_ratio(colour, ink_for(colour)) >= 4.5


def test_the_web_and_the_pack_render_the_same_badge() -> None:
    web = web_badge("amber", "rag")
    pack = pack_cell(pack_badge("amber", "rag"))
    assert web == pack == badge_html("Amber", "#ef6c00")
    assert web == '<span class="badge" style="background:#ef6c00;color:#212121">Amber</span>'


def test_an_empty_value_is_an_unknown_badge_on_both() -> None:
    assert web_badge("", "rag") == unknown_badge_html("Unknown")
    assert 'class="badge badge-unknown"' in pack_cell(pack_badge(None, "rag"))


def test_a_pack_badge_keeps_its_hint_as_a_title_and_escapes_it() -> None:
    html = pack_cell(Badge("Ready", "#2e7d32", hint='"quoted" <b>'))
    assert 'title="&quot;quoted&quot; &lt;b&gt;"' in html
    assert "color:#ffffff" in html


def test_the_pack_badge_ink_and_the_chart_ink_follow_the_same_rule() -> None:
    for colour in ("#ef6c00", "#f9a825", "#757575", "#e0e0e0", "#90a4ae"):
        assert Badge("x", colour).ink == charts.ink_for(colour) == ink_for(colour)
