"""Rows of the case timeline that other apps record: the case's own events (aftersales.events)
merged, by time, with what an app above this one says happened to the case elsewhere. aftersales
cannot read those apps, so each registers a source when ready (`register_timeline`), as
distribution does for the supplier's side of a pushed return."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from aftersales.models import Case, CaseEvent


@dataclass(frozen=True)
class CaseLink:
    """A record of another app that belongs to the case: shown on the case page, linked."""

    label: str
    number: str
    url: str
    status: str
    perm: str  # the permission ("app.codename") the link needs; the line shows without it
    note: str = ""  # why the record is missing or stuck, when it is


@dataclass(frozen=True)
class ExternalStep:
    """A step recorded by another app. `who`: the user of the case's tenant who acted, or a word
    for the other side ('supplier') or 'system'; never another tenant's user."""

    created_at: datetime
    label: str
    note: str = ""
    who: str = "system"
    source: str = ""
    to_status = ""  # the template reads a case event's move; an external step moves no case

    def get_type_display(self) -> str:
        return self.label


@dataclass(frozen=True)
class Extras:
    steps: list[ExternalStep] = field(default_factory=list)
    links: list[CaseLink] = field(default_factory=list)


TimelineSource = Callable[[Case], Extras]
SOURCES: dict[str, TimelineSource] = {}


def register_timeline(name: str, source: TimelineSource) -> None:
    """Called from an app's ready(); once per name, so a second ready() does not add rows twice."""
    SOURCES[name] = source


def case_extras(case: Case) -> Extras:
    steps: list[ExternalStep] = []
    links: list[CaseLink] = []
    for source in SOURCES.values():
        found = source(case)
        steps += found.steps
        links += found.links
    return Extras(steps=steps, links=links)


def merged(events: list[CaseEvent], steps: list[ExternalStep]) -> list:
    """The case's events and the external steps in time order (a case event first at the same moment)."""
    return sorted([*events, *steps], key=lambda row: row.created_at)
