"""The index of a programme's registers, and each register's list, item (with full history),
new-record, edit and close-or-delete pages, for every register alike; a record's children
kept by the PMO are edited on its own form."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from steerco.accounts.access import (
    Can,
    Principal,
    get_or_refuse,
    may_edit,
    principal,
    programme_or_refuse,
    require,
    visible,
    withhold_links,
)
from steerco.core.models import Programme
from steerco.records import children, creating, deleting, editing
from steerco.records.history import children_history, record_history
from steerco.registers import PAGES, Register
from steerco.registers import PAGES_BY_SLUG as BY_SLUG
from steerco.web import sorting, tables
from steerco.web.confidence import milestone_forecast
from steerco.web.filters import filterset_for


def _register(who: Principal, programme: str, register: str) -> tuple[Programme, Register]:
    require(who, Can.READ_REGISTERS)
    found = programme_or_refuse(who, programme)
    web_register = BY_SLUG.get(register)
    if web_register is None:
        raise Http404("No such register.")
    return found, web_register


def _records(
    who: Principal, programme: Programme, register: Register, sort: sorting.Sort | None = None
) -> Any:
    queryset = register.model._default_manager.filter(programme=programme)
    ordering: list[Any] = [
        *sorting.ordering(register, sort or sorting.Sort()),
        *(register.model._meta.ordering or ()),
        "pk",
    ]
    records = visible(queryset, who).order_by(*ordering)
    # select_related() with no names would follow every foreign key: name them or none.
    return records.select_related(*register.related) if register.related else records


@require_safe
def register_index(request: HttpRequest, programme: str) -> HttpResponse:
    """Every register with a page, with the number of its records the reader may see."""
    who = principal(request)
    require(who, Can.READ_REGISTERS)
    found = programme_or_refuse(who, programme)
    counts = [(register, _records(who, found, register).count()) for register in PAGES]
    return render(
        request,
        "web/registers/index.html",
        {"programme": found, "registers": PAGES, "counts": counts},
    )


@require_safe
def register_list(request: HttpRequest, programme: str, register: str) -> HttpResponse:
    who = principal(request)
    found, web_register = _register(who, programme, register)
    sort = sorting.parse(web_register, request.GET.get("sort"))
    records = _records(who, found, web_register, sort)
    filterset = filterset_for(web_register, request.GET, records, who)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    template = "web/registers/list.html"
    htmx: Any = getattr(request, "htmx", None)
    if htmx and not htmx.boosted:
        template = "web/registers/_results.html"
    return render(
        request,
        template,
        {
            "programme": found,
            "registers": PAGES,
            "register": web_register,
            "filter": filterset,
            "sort": sort,
            "headers": tables.headers(web_register, sort, request.GET),
            "usual": tables.default_classification(web_register),
            "page": page,
            "rows": tables.rows(web_register, found.code, withhold_links(page, who)),
            "can_edit": who.may(Can.EDIT_REGISTERS),
        },
    )


@require_safe
def register_item(request: HttpRequest, programme: str, register: str, pk: int) -> HttpResponse:
    who = principal(request)
    found, web_register = _register(who, programme, register)
    record = get_or_refuse(_records(who, found, web_register), who, pk=pk)
    withhold_links([record], who)
    children = []
    for child in web_register.children:
        manager = getattr(record, child.accessor)
        rows = withhold_links(visible(manager.all(), who), who)
        children.append((manager.model._meta.verbose_name_plural, rows))
    return render(
        request,
        "web/registers/item.html",
        {
            "programme": found,
            "registers": PAGES,
            "register": web_register,
            "record": record,
            "children": children,
            "field_names": [
                f.name
                for f in web_register.model._meta.concrete_fields
                if f.name not in ("id", "programme")
            ],
            "history": sorted(
                [
                    *record_history(web_register.model, record.pk, who, web_register.title),
                    *children_history(web_register, record.pk, who),
                ],
                key=lambda e: e.at,
                reverse=True,
            ),
            "can_edit": may_edit(who, record),
            **(milestone_forecast(found, who, record) if web_register.slug == "milestones" else {}),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def register_edit(request: HttpRequest, programme: str, register: str, pk: int) -> HttpResponse:
    who = principal(request)
    found, web_register = _register(who, programme, register)
    record = get_or_refuse(_records(who, found, web_register), who, pk=pk)
    require(who, Can.EDIT_REGISTERS)
    form_class = editing.form_class(web_register.model, web_register.editable)
    context: dict[str, Any] = {
        "programme": found,
        "registers": PAGES,
        "register": web_register,
        "record": record,
    }
    if request.method != "POST":
        form = form_class(instance=record, initial={"version": editing.version_of(record)})
        rows = children.formsets(web_register, found, record)
        return render(request, "web/registers/edit.html", {**context, "form": form, "rows": rows})
    form = form_class(request.POST, instance=record)
    rows = children.formsets(web_register, found, record, request.POST)
    context.update(form=form, rows=rows)
    if not children.valid(form, rows):
        return render(request, "web/registers/edit.html", context, status=400)
    conflict = editing.save(form, rows)
    if conflict is None:
        return redirect("web:register-item", programme=found.code, register=register, pk=pk)
    data = request.POST.copy()  # a QueryDict: `|` with a dict would turn values into lists
    data["version"] = str(conflict.their_version)
    retry = form_class(data, instance=conflict.theirs)
    return render(
        request,
        "web/registers/conflict.html",
        {
            **context,
            "form": retry,
            "rows": children.formsets(web_register, found, conflict.theirs, data),
            "conflict": conflict,
        },
        status=409,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def register_new(request: HttpRequest, programme: str, register: str) -> HttpResponse:
    """A new record: the fields the register lets a PMO set, its next ref proposed, and the
    children it keeps."""
    who = principal(request)
    found, web_register = _register(who, programme, register)
    require(who, Can.EDIT_REGISTERS)
    form_class = creating.form_class(web_register, found)
    context: dict[str, Any] = {"programme": found, "registers": PAGES, "register": web_register}
    if request.method != "POST":
        form = form_class(initial=creating.propose_ref(web_register, found))
        rows = children.formsets(web_register, found, None)
        return render(request, "web/registers/new.html", {**context, "form": form, "rows": rows})
    form = form_class(request.POST)
    rows = children.formsets(web_register, found, None, request.POST)
    if not children.valid(form, rows):
        context.update(form=form, rows=rows)
        return render(request, "web/registers/new.html", context, status=400)
    record = creating.create(form, rows)
    return redirect("web:register-item", programme=found.code, register=register, pk=record.pk)


@require_http_methods(["GET", "HEAD", "POST"])
def register_remove(request: HttpRequest, programme: str, register: str, pk: int) -> HttpResponse:
    """Close (where the register says how) or delete a record, with a reason: a page asking
    for it, then a POST of the editor's choice."""
    who = principal(request)
    found, web_register = _register(who, programme, register)
    record = get_or_refuse(_records(who, found, web_register), who, pk=pk)
    require(who, Can.EDIT_REGISTERS)
    closing = web_register.closing
    context: dict[str, Any] = {
        "programme": found,
        "registers": PAGES,
        "register": web_register,
        "record": record,
        "closing": closing,
        "closed": closing is not None and getattr(record, closing.field) == closing.value,
        "references": deleting.references(web_register, record),
    }
    if request.method != "POST":
        form = deleting.RemoveForm(initial={"version": editing.version_of(record)})
        return render(request, "web/registers/remove.html", {**context, "form": form})
    form = deleting.RemoveForm(request.POST)
    action = request.POST.get("action")
    if action not in ("delete", "close") or (action == "close" and closing is None):
        form.add_error(None, "Choose to close or to delete.")
    if not form.is_valid():
        return render(request, "web/registers/remove.html", {**context, "form": form}, status=400)
    version, reason = form.cleaned_data["version"], form.cleaned_data["reason"]
    if action == "close":
        outcome = deleting.close(web_register, record, version, reason)
    else:
        outcome = deleting.delete(web_register, record, version, reason)
    if outcome.deleted:
        return redirect("web:register-list", programme=found.code, register=register)
    if outcome.closed:
        return redirect("web:register-item", programme=found.code, register=register, pk=pk)
    if outcome.refused is not None:
        form.add_error(None, outcome.refused.message)
        status = 400
    else:
        form = deleting.RemoveForm(
            {"version": editing.version_of(record), "reason": reason},
        )
        form.add_error(
            None,
            "Someone changed this record since you opened this page: nothing was done. "
            "Look at it again, then choose.",
        )
        status = 409
    return render(request, "web/registers/remove.html", {**context, "form": form}, status=status)
