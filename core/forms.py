import re
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator
from django.forms.renderers import TemplatesSetting

from core.limits import MAX_INTEGER

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class BootstrapRenderer(TemplatesSetting):
    """Every form renders with Bootstrap's markup (labels, help, per-field errors)."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


def refuse_control_characters(value: str, *, allowed: str = "") -> None:
    if any(c not in allowed for c in CONTROL_CHARACTERS.findall(value)):
        raise forms.ValidationError("Remove the control characters from this text.", code="control_characters")


def _refuse_control_characters_but_line_breaks(value: str) -> None:
    refuse_control_characters(value, allowed="\t\r\n")


def guard_field(field: forms.Field) -> None:
    """Bound a field to what the database holds, with a message the user reads, so that no typed value
    gets as far as a database error: text without control characters (line breaks and tabs allowed in
    a text area), whole numbers within an integer column, amounts within their digits."""
    if getattr(field, "guarded", False):
        return
    field.guarded = True
    if isinstance(field, forms.CharField):
        multiline = isinstance(field.widget, forms.Textarea)
        field.validators.append(_refuse_control_characters_but_line_breaks if multiline else refuse_control_characters)
    elif isinstance(field, forms.DecimalField):
        if field.max_digits is None:
            return
        places = field.decimal_places or 0
        largest = Decimal(10) ** (field.max_digits - places) - Decimal(10) ** -places
        message = f"Too large: at most {largest:,}."
        for code in ("max_digits", "max_whole_digits"):
            field.error_messages.setdefault(code, message)
    elif isinstance(field, forms.IntegerField) and not isinstance(field, forms.FloatField) and field.max_value is None:
        field.max_value = MAX_INTEGER
        field.validators.append(MaxValueValidator(MAX_INTEGER))
        field.error_messages.setdefault("max_value", f"Too large: at most {MAX_INTEGER:,}.")


class StyledForm:
    """Mixin giving widgets Bootstrap's classes (errors are shown by core/forms/field.html), and every
    field the bounds of `guard_field`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        for field in self.fields.values():  # here, to bound the fields a form adds in its __init__ too
            guard_field(field)
        super().full_clean()


class SelectionForm(forms.Form):
    """Rows ticked for a bulk action (the checkbox `name`, one per row), resolved within `rows`:
    the user's scoped queryset, so an id of another tenant or outside the list is refused."""

    def __init__(self, *args, name: str, rows, noun: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.name = name
        article = "An" if noun[0] in "aeiou" else "A"
        self.fields[name] = forms.ModelMultipleChoiceField(
            queryset=rows,
            error_messages={
                "required": f"Select {noun}s first.",
                "invalid_choice": f"{article} {noun} you selected is not in this list any more.",
            },
        )

    @property
    def selected(self):
        return self.cleaned_data[self.name]

    @property
    def error_text(self) -> str:
        return " ".join(self.errors[self.name])
