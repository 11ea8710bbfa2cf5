"""A list's filters, read from its query string by django-filter inside the list's selector (HackSoft's
styleguide): each app's `filters.py` has a FilterSet per list, its selector applies it to the rows it
starts from (the tenant's, in the user's stores).

Whatever the user or a crafted link sends, a value that is not a valid one (a bad date, a non-number,
a NUL byte, an unknown choice, a row outside the user's reach) fails its field and that filter is not
applied: the list shows as if the value had not been sent, never a 500 nor another tenant's row.
PostgreSQL refuses NUL in text, and Python's `int()` takes digits no user types in a filter ("٣"),
so the fields below read only what a search box, a select or an `<input type="date">` sends.
"""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.forms.utils import ErrorDict
from django.utils.dateparse import parse_date
from django_filters.constants import EMPTY_VALUES

from core.forms import CONTROL_CHARACTERS, StyledForm

ASCII_DIGITS = re.compile(r"[0-9]+")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
SEARCH_LENGTH = 200  # longer than any number, code or name a search matches
ID_MAX = 2**63 - 1  # a primary key (bigint)


def clean_text(value: str, *, max_length: int = SEARCH_LENGTH) -> str:
    """The text with control characters (NUL among them) dropped, trimmed, cut to `max_length`."""
    return CONTROL_CHARACTERS.sub("", value).strip()[:max_length]


def parse_int(value: str | None, *, min_value: int = 0, max_value: int = ID_MAX) -> int | None:
    """ASCII digits within [min_value, max_value] as an int, else None."""
    if not value or not ASCII_DIGITS.fullmatch(value) or len(value) > len(str(max_value)):
        return None
    number = int(value)
    return number if min_value <= number <= max_value else None


class SearchInput(forms.TextInput):
    input_type = "search"


class DayInput(forms.DateInput):
    """`<input type="date">`: the browser shows the user's format and sends Y-m-d, the one we read."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class SearchField(forms.CharField):
    """A search box: its text without control characters, trimmed, cut to a length any match fits."""

    widget = SearchInput

    def to_python(self, value) -> str:
        return clean_text(super().to_python(value))

    def prepare_value(self, value):
        return clean_text(value) if isinstance(value, str) else value  # shown back as it is searched


class DayField(forms.DateField):
    """A day as `<input type="date">` sends it (YYYY-MM-DD), and nothing else: not 2026-1-1, not
    2026-02-30, not a date in other digits."""

    widget = DayInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            day = parse_date(value) if isinstance(value, str) and ISO_DATE.fullmatch(value) else None
        except ValueError:  # well-formed, impossible
            day = None
        if day is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return day


class RowChoiceField(forms.ModelChoiceField):
    """A row by its id, among the rows the filter offers; an id that is not a plain number in range
    is an invalid choice before any query."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if parse_int(str(value)) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class SearchFilter(django_filters.CharFilter):
    """A search box; give `method` (the match) and `placeholder`."""

    field_class = SearchField

    def __init__(self, *args, placeholder: str = "", **kwargs):
        kwargs.setdefault("label", "Search")
        if placeholder:
            kwargs["widget"] = SearchInput(attrs={"placeholder": placeholder})
        super().__init__(*args, **kwargs)


class DayFilter(django_filters.DateFilter):
    """A day on a date-time field, as the user's days go: `lookup_expr` is `date__gte` or `date__lte`."""

    field_class = DayField


def codes(text: str) -> list[str]:
    """A number or code as typed and upper-cased (scanners and users type either), for an exact
    match on a btree index: `field__in=codes(text)`."""
    text = text.strip()
    return list(dict.fromkeys([text, text.upper()])) if text else []


FEW = 100  # rows a name matches that are listed by id; past that, the name is matched row by row


def few_ids(rows: QuerySet) -> list[int] | None:
    """The ids of `rows` if they are at most FEW (one query), else None.

    A part of a name that few rows have is best followed through their ids, index by index; one
    that many share ("an") is best matched row by row along the list's own order, which fills a page
    after a few rows, where following thousands of ids means sorting every match first."""
    ids = list(rows.values_list("pk", flat=True)[: FEW + 1])
    return ids if len(ids) <= FEW else None


def any_of(*matches: QuerySet) -> list[int] | QuerySet:
    """The ids of the rows any of `matches` selects (querysets of one model), to filter by
    (`pk__in=any_of(...)`): one UNION ALL, each match planned on its own, on its own index; one OR
    across them, and across the tables they join, is only checked row by row after scanning every
    row of the tenant (bench/scan_path.py).

    The union is run at once and its ids handed on as a list when they are few (a number names a
    row or two): inside a page's query, beside a store restriction, the planner cannot tell a union
    holds a handful of rows and scanned the tenant's cases in parallel instead (3.5 s for a
    store-restricted search at 1M, bench/scale.py); a list of ids it plans exactly."""
    first, *rest = (match.order_by().values("pk") for match in matches)
    union = first.union(*rest, all=True) if rest else first
    ids = [row["pk"] for row in union[: FEW + 1]]
    return ids if len(ids) <= FEW else union


def search(*fields: str, placeholder: str, label: str = "Search") -> SearchFilter:
    """A search box matching a part of any of `fields`, in any case."""

    def matching(rows, name, value):
        match = Q()
        for field in fields:
            match |= Q(**{f"{field}__icontains": value})
        return rows.filter(match)

    return SearchFilter(method=matching, label=label, placeholder=placeholder)


def day_range(field_name: str, *, labels: tuple[str, str] = ("From", "To")) -> dict[str, DayFilter]:
    """`from` and `to`, the first and last day of `field_name` (a date-time) in the user's time zone.
    They are Python keywords, so a FilterSet takes them with `locals().update(day_range(...))` in its
    body, where they can be named only so."""
    return {
        "from": DayFilter(field_name=field_name, lookup_expr="date__gte", label=labels[0]),
        "to": DayFilter(field_name=field_name, lookup_expr="date__lte", label=labels[1]),
    }


class RowFilter(django_filters.ModelChoiceFilter):
    """A choice among rows the user may see: `queryset` is a function of the filter set (its tenant and
    user), so another tenant's row, or a store the user may not work with, is neither offered nor taken."""

    field_class = RowChoiceField

    def get_queryset(self, request):
        return self.queryset(self.parent)


class FilterForm(StyledForm, forms.Form):
    """A filter bar: Bootstrap's classes (StyledForm), and each control named for screen readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", field.label)

    def full_clean(self):
        super().full_clean()
        self._errors = ErrorDict()  # a value that is not valid is left out of cleaned_data: ignored, not shown


class FilterSet(django_filters.FilterSet):
    """The filters of one list over `queryset`, the rows the list starts from (already scoped to the
    tenant and the user's stores); `tenant` and `user` scope the rows a filter may offer. Without a
    queryset, only the form is wanted: the filter bar shown above the list its selector filtered
    (every filter then needs its `label`: there is no model to name it from)."""

    def __init__(self, params=None, queryset=None, *, tenant=None, user=None):
        self.tenant, self.user = tenant, user
        super().__init__(params, QuerySet() if queryset is None else queryset)

    class Meta:
        form = FilterForm

    @property
    def applied(self) -> dict:
        """The filters that apply: each valid, non-empty value by the name the query string gives it."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return {name: value for name, value in self.form.cleaned_data.items() if value not in EMPTY_VALUES}
