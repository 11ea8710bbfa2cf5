from django import forms
from django.forms.renderers import TemplatesSetting


class BootstrapRenderer(TemplatesSetting):
    """Every form renders with Bootstrap's markup (labels, help, per-field errors)."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


class StyledForm:
    """Mixin giving widgets Bootstrap's classes (errors are shown by core/forms/field.html)."""

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
