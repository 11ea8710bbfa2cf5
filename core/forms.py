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


DJANGO_FIELDS = (forms.Field, forms.IntegerField, forms.DecimalField, forms.ChoiceField, forms.ModelChoiceField)
# Django's own words for a field's errors, replaced by a seller's (`seller_words`)
DJANGO_DEFAULTS = {message for cls in DJANGO_FIELDS for message in cls.default_error_messages.values()}


DJANGO_EMPTY_LABEL = "---------"


def _lower_first(label: str) -> str:
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def seller_words(field: forms.Field, label: str) -> None:
    """Django's default error messages in words a seller uses ("At least 1.", "Choose the warehouse.")
    wherever the form did not give its own."""
    messages, named = field.error_messages, _lower_first(label)
    choice = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
    several = isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
    words = {
        "required": f"Choose the {named}." if choice else f"Enter the {named}.",
        "invalid_choice": f"One of the {named} you chose cannot be chosen (any more)."
        if several
        else f"That {named} cannot be chosen (any more): choose another.",
        "max_decimal_places": "Use at most %(max)s decimals.",
    }
    if isinstance(field, forms.IntegerField):
        words["invalid"] = "Enter a whole number."
    if isinstance(field, forms.DecimalField):
        words["invalid"] = "Enter a number, e.g. 12.50."
    if getattr(field, "min_value", None) is not None:
        words["min_value"] = "Cannot be negative." if field.min_value == 0 else f"At least {field.min_value:,}."
    if getattr(field, "max_value", None) is not None:
        words["max_value"] = f"At most {field.max_value:,}."
    for code, message in words.items():
        if code not in messages or messages[code] in DJANGO_DEFAULTS:
            messages[code] = message


class StyledForm:
    """Mixin giving widgets Bootstrap's classes (errors are shown by core/forms/field.html), and every
    field the bounds of `guard_field`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if getattr(field, "empty_label", None) == DJANGO_EMPTY_LABEL:  # words, never "---------"
                field.empty_label = f"Choose the {_lower_first(self[name].label)}" if field.required else "None"
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            if css not in widget.attrs.get("class", "").split():
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        for name, field in self.fields.items():  # here, to bound the fields a form adds in its __init__ too
            guard_field(field)
            seller_words(field, self[name].label)
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
