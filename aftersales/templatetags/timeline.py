"""`{{ event|event_summary }}`: a timeline row's details in a line, rendered by its type's own fields
(aftersales.events.summary); a step another app recorded (aftersales.timeline) says its note."""

from django import template

from aftersales import events
from aftersales.timeline import ExternalStep

register = template.Library()


@register.filter
def event_summary(event) -> str:
    if isinstance(event, ExternalStep):
        return event.note
    return events.summary(event)
