"""`{{ event|event_summary }}`: a timeline row's details in a line, rendered by its type's own fields
(aftersales.events.summary)."""

from django import template

from aftersales import events

register = template.Library()


@register.filter
def event_summary(event) -> str:
    return events.summary(event)
