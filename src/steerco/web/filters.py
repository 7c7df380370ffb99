"""List filters and search for a register (django-filter), with every choice list of
related records narrowed by the access module."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db import models
from django.db.models import Q, QuerySet
from django.http import QueryDict

from steerco.accounts.access import Principal, visible
from steerco.registers import Register


class _Search(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    search_fields: tuple[str, ...] = ()

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition) if self.search_fields else queryset


def filterset_for(
    register: Register,
    data: QueryDict,
    queryset: QuerySet[Any],
    who: Principal,
) -> django_filters.FilterSet:
    meta = type("Meta", (), {"model": register.model, "fields": list(register.filters)})
    cls = type(
        f"{register.model.__name__}Filter",
        (_Search,),
        {"Meta": meta, "search_fields": register.search},
    )
    filterset = cls(data or None, queryset=queryset)
    for name in register.filters:
        field: Any = register.model._meta.get_field(name)
        if isinstance(field, models.ForeignKey):
            # Only the records this register refers to: a short list, read through access.
            referenced = queryset.order_by().values(name)
            related: Any = field.related_model
            choices = related._default_manager.filter(pk__in=referenced)
            filterset.filters[name].queryset = visible(choices, who)
        elif not field.choices and not isinstance(field, models.BooleanField):
            values = queryset.order_by().values_list(name, flat=True).distinct()
            filterset.filters[name] = django_filters.ChoiceFilter(
                field_name=name,
                label=str(field.verbose_name).capitalize(),
                choices=[(v, v) for v in sorted({v for v in values if v not in ("", None)})],
            )
    return filterset
