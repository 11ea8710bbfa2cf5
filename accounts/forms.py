from django import forms
from django.contrib.auth import password_validation

from accounts.models import User
from accounts.permissions import Perm
from accounts.selectors import role_qs
from channels.selectors import store_qs
from core.forms import StyledForm


class SubAccountForm(StyledForm, forms.Form):
    username = forms.CharField(max_length=150)
    email = forms.EmailField(required=False)
    password = forms.CharField(
        widget=forms.PasswordInput(render_value=False), required=False, help_text="At least 8 characters."
    )
    role = forms.ModelChoiceField(queryset=None, required=False, empty_label="No role (no access)")
    all_stores = forms.BooleanField(required=False, initial=True, label="All stores")
    stores = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Used when “All stores” is not ticked.",
    )

    def __init__(self, *args, tenant, user: User | None = None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = role_qs(tenant=tenant)
        self.fields["stores"].queryset = store_qs(tenant=tenant)
        if user is None:
            self.fields["password"].required = True
        else:
            self.fields["username"].disabled = True
            self.fields["password"].help_text = "Leave blank to keep the current password."

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if self.user is None and User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("This username is taken.")
        return username

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        taken = User.objects.filter(email__iexact=email).exclude(pk=getattr(self.user, "pk", None))
        if email and taken.exists():
            raise forms.ValidationError("Another user has this e-mail.")
        return email

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("all_stores") and not data.get("stores"):
            self.add_error("stores", "Pick at least one store, or tick “All stores”.")
        password = data.get("password")
        if password:
            try:
                password_validation.validate_password(password, self.user)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


class RoleForm(StyledForm, forms.Form):
    name = forms.CharField(max_length=80)
    perms = forms.MultipleChoiceField(
        choices=Perm.choices, required=False, widget=forms.CheckboxSelectMultiple, label="Permissions"
    )

    def __init__(self, *args, tenant, role=None, **kwargs):
        self.tenant, self.role = tenant, role
        super().__init__(*args, **kwargs)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        same = role_qs(tenant=self.tenant).filter(name__iexact=name).exclude(pk=getattr(self.role, "pk", None))
        if same.exists():
            raise forms.ValidationError("A role with this name exists.")
        return name
