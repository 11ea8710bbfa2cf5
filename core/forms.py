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
