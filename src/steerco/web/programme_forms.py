"""Forms of the programme set-up pages: a new programme with its calendar and first body,
a body's new member, and the programme's logo."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.validators import RegexValidator

from steerco.core import cadence, calendar, images
from steerco.core.models import BodyMember, Programme
from steerco.core.setup import NewProgramme
from steerco.core.validators import upload_at_most
from steerco.records.fields import formfield

_BODY_CODE = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_-]*$", "Letters, digits, hyphens and underscores only (no spaces)."
)


class ProgrammeForm(forms.Form):
    code = forms.SlugField(
        max_length=40,
        help_text="Its short name in addresses, for example demo2: letters, digits and hyphens.",
    )
    name = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    calendar_country = forms.ChoiceField(
        label="Bank-holiday country",
        initial="GB",
        help_text="Whose bank holidays its working days leave out.",
    )
    calendar_subdivision = forms.CharField(
        label="Bank-holiday region",
        max_length=calendar.REGION_CODE_LENGTH,
        required=False,
        initial="ENG",
        help_text=(
            "The country's subdivision, for example ENG (England), SCT (Scotland), WLS "
            "(Wales) or NIR (Northern Ireland) in the United Kingdom; empty: the whole country."
        ),
    )
    body_code = forms.CharField(
        label="First governance body: code",
        max_length=20,
        validators=[_BODY_CODE],
        help_text="For example PSG; its meetings are numbered PSG-1, PSG-2…",
    )
    body_name = forms.CharField(label="First governance body: name", max_length=200, required=False)
    cadence = forms.CharField(
        label="First governance body: cadence",
        max_length=200,
        help_text=(
            "When it meets, as an iCalendar RRULE: FREQ=MONTHLY;BYDAY=+2TU is the second "
            "Tuesday of each month, FREQ=WEEKLY;INTERVAL=2;BYDAY=TH every 2 weeks on Thursday."
        ),
    )
    reason = forms.CharField(
        max_length=300,
        required=False,
        help_text="Why: kept in the programme's history.",
        widget=forms.TextInput(attrs={"size": 60}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["calendar_country"]
        field.choices = [(code, f"{name} ({code})") for code, name in calendar.countries().items()]

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if Programme.objects.filter(code=code).exists():
            raise forms.ValidationError(
                f"A programme with the code {code} already exists: choose another code."
            )
        return code

    def clean_calendar_subdivision(self) -> str:
        return str(self.cleaned_data["calendar_subdivision"]).strip().upper()

    def clean_cadence(self) -> str:
        text = str(self.cleaned_data["cadence"]).strip()
        try:
            cadence.parse(text)
        except cadence.CadenceError as error:
            raise forms.ValidationError(f"Not a cadence steerco can read: {error}.") from None
        return text

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        country = cleaned.get("calendar_country")
        subdivision = cleaned.get("calendar_subdivision")
        if country and subdivision is not None:
            try:
                calendar.check_region(country, subdivision)
            except calendar.CalendarError as error:
                self.add_error("calendar_subdivision", f"{error}.")
        return cleaned

    def new_programme(self) -> NewProgramme:
        data = self.cleaned_data
        return NewProgramme(
            code=data["code"],
            name=data["name"],
            description=data["description"],
            calendar_country=data["calendar_country"],
            calendar_subdivision=data["calendar_subdivision"],
            body_code=data["body_code"],
            body_name=data["body_name"],
            cadence=data["cadence"],
        )


def cadence_preview(text: str, today: dt.date, count: int = 3) -> tuple[str, list[dt.date]]:
    """The cadence in words and its next ``count`` dates after ``today``; CadenceError if
    it cannot be read."""
    return cadence.describe(text), cadence.dates(text, today, count)


class MemberForm(forms.ModelForm):  # type: ignore[type-arg]
    reason = forms.CharField(
        max_length=300,
        help_text="Why: kept in the body's history.",
        widget=forms.TextInput(attrs={"size": 60}),
    )

    class Meta:
        model = BodyMember
        fields = ("name", "represents", "role", "classification")
        formfield_callback = formfield


class LogoForm(forms.Form):
    """The programme's logo for its packs' covers: PNG, JPEG or SVG by what the file holds,
    at most ``images.LOGO_MAX_BYTES``; an SVG that could run or fetch anything is refused."""

    logo = forms.FileField(
        help_text=(
            f"PNG, JPEG or SVG, at most {images.LOGO_MAX_BYTES:,} bytes; an SVG with a "
            "script, an event handler or a link to another file is refused."
        ),
        validators=[upload_at_most(images.LOGO_MAX_BYTES)],
    )
    reason = forms.CharField(
        max_length=300,
        help_text="Why: kept in the programme's history.",
        widget=forms.TextInput(attrs={"size": 60}),
    )

    def clean_logo(self) -> Any:
        upload = self.cleaned_data["logo"]
        upload.seek(0)
        data = upload.read(images.LOGO_MAX_BYTES + 1)
        try:
            images.format_of(data, images.LOGO_MAX_BYTES)
        except images.Refused as error:
            raise forms.ValidationError(str(error)) from None
        return data
