"""`{% actions obj as name %}`: the transitions the signed-in user may run on `obj` now, asked of
its state machine (core.machines.actions), for a list row's buttons."""

from django import template

from core import machines

register = template.Library()


@register.simple_tag(takes_context=True)
def actions(context, obj) -> dict[str, dict]:
    return machines.actions(obj, context["request"].user)
