"""The state machines (django-fsm-2), asked the same way by the services, the pages and the docs.

Each transition carries what users see of it in its `custom=` (built by `action`): the label of
its button, the button's style, and the refusal said when its conditions are not met. A
transition built with `system` (or with no `custom`) is the system's (a sync, a void), never a
button.

- services: `check(obj, actor, name)` refuses exactly what the transition would not allow;
- pages: `actions(obj, user)` are the buttons, the transitions available to this user now;
- lists: `sources(Model, name)` are the states a transition leaves from (a waiting queue);
- docs: `diagram(Model)` is a Mermaid stateDiagram drawn from the transitions themselves.
"""

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models
from django_fsm import ANY_OTHER_STATE, ANY_STATE, FSMFieldMixin, State, Transition, can_proceed, has_transition_perm

from core.errors import Refused


def action(label: str, *, style: str = "primary", refusal: str = "", code: str = "") -> dict:
    """A transition's `custom=`: its button label and style, and why its conditions may refuse it
    (`refusal` ends the sentence "<Case AS-1>: <label> is not possible, ..."; `code` names it)."""
    return {"label": label, "style": style, "refusal": refusal, "code": code}


def system(label: str) -> dict:
    """The `custom=` of a transition only the system runs (a sync, a ship the platform reports):
    named in refusals and diagrams, never a button."""
    return {"label": label, "system": True}


def _meta(method):
    return method._django_fsm


def custom(obj_or_model, name: str) -> dict:
    """The `custom=` of a transition (the same from every source state)."""
    return next(iter(_meta(getattr(obj_or_model, name)).transitions.values())).custom


def state_label(obj: models.Model) -> str:
    field = _field(type(obj))
    return getattr(obj, f"get_{field.name}_display")()


def check(obj: models.Model, actor, name: str) -> None:
    """Refused (state or condition, with a code) or PermissionDenied (role): the checks of the
    transition `name`, in the user's words. `actor` None is the system (transitions without a
    permission only)."""
    method = getattr(obj, name)
    what = f"{obj._meta.verbose_name.capitalize()} {obj}"
    spec = custom(obj, name)
    label = spec.get("label") or name.replace("_", " ")
    if not can_proceed(method, check_conditions=False):
        state = state_label(obj)
        raise Refused(f"{what} is {state}: {label} is not possible now.", code="wrong_state", state=state)
    if not can_proceed(method):
        why = spec.get("refusal") or "its conditions are not met"
        raise Refused(f"{what}: {label} is not possible, {why}.", code=spec.get("code") or "not_allowed")
    if not has_transition_perm(method, actor):
        raise PermissionDenied(f"Your role does not allow {label}.")


def actions(obj: models.Model, user) -> dict[str, dict]:
    """The buttons: transition name -> its `custom`, for the labelled transitions this user may
    run now (state, conditions and role, as `check` asks them), by name."""
    field = _field(type(obj))
    available = getattr(obj, f"get_available_user_{field.name}_transitions")(user)
    return {t.name: t.custom for t in available if t.custom.get("label") and not t.custom.get("system")}


def sources(model: type[models.Model], name: str) -> list[str]:
    """The states the transition `name` leaves from."""
    return [s for s in _meta(getattr(model, name)).transitions if s not in (ANY_STATE, ANY_OTHER_STATE)]


# --- diagrams -----------------------------------------------------------------------------------


def _field(model: type[models.Model]) -> FSMFieldMixin:
    return next(f for f in model._meta.fields if isinstance(f, FSMFieldMixin))


def machines() -> list[type[models.Model]]:
    """Every model with a state machine, by app and name."""
    found = [m for m in apps.get_models() if any(isinstance(f, FSMFieldMixin) for f in m._meta.fields)]
    return sorted(found, key=lambda m: m._meta.label)


def targets(t: Transition) -> list[str]:
    """The states a transition may lead to (its own source when the state does not move)."""
    if t.target is None:
        return [t.source]
    if isinstance(t.target, State):
        return list(t.target.allowed_states)
    return [t.target]


def _edge_label(t: Transition) -> str:
    label = t.custom.get("label", t.name) + (" (system)" if t.custom.get("system") or not t.custom else "")
    conditions = [c.__name__ for c in t.conditions]
    role = getattr(t.permission, "perm", None)
    parts = [label, *(f"if {c}" for c in conditions), *([f"role {role.label}"] if role else [])]
    return " · ".join(parts).replace(":", " ")


def diagram(model: type[models.Model]) -> str:
    """A Mermaid stateDiagram of the model's machine, one arrow per (source, target, transition)."""
    field = _field(model)
    lines = ["stateDiagram-v2", "    direction LR"]
    lines += [f'    state "{label}" as {value}' for value, label in field.choices]
    lines.append(f"    [*] --> {field.default}")
    for t in field.get_all_transitions(model):
        source = "any" if t.source in (ANY_STATE, ANY_OTHER_STATE) else t.source
        for target in targets(t):
            lines.append(f"    {source} --> {target} : {_edge_label(t)}")
    if any(t.source in (ANY_STATE, ANY_OTHER_STATE) for t in field.get_all_transitions(model)):
        lines.insert(2, '    state "any state" as any')
    return "\n".join(lines)


def diagrams_markdown() -> str:
    """docs/state-machines.md: every machine's diagram (written by `manage.py state_diagrams`)."""
    out = [
        "# State machines",
        "",
        "Generated by `python manage.py state_diagrams` from the transitions themselves (django-fsm-2);",
        "do not edit by hand. Arrows read `label · if condition · role`. `(system)` marks a transition",
        "no button offers: the system's (a sync, a shipment, a void), or one its services run with their",
        "own checks (an order's cancel: by the seller, a buyer's request agreed, an exchange order",
        "withdrawn with its case). A test fails when this file is out of date.",
    ]
    for model in machines():
        field = _field(model)
        out += ["", f"## {model._meta.verbose_name.capitalize()} ({model._meta.label}.{field.name})", ""]
        out += ["```mermaid", diagram(model), "```"]
    return "\n".join(out) + "\n"
