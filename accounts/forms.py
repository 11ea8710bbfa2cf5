from axes.utils import reset as axes_reset
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError

from accounts import services
from accounts.models import LOGIN_NAME_TAKEN, User, login_name_taken, time_zone_names
from accounts.permissions import Perm
from accounts.selectors import role_qs, user_for_login
from channels.selectors import store_qs
from core.forms import StyledForm


class SubAccountForm(StyledForm, forms.Form):
    username = forms.CharField(
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="150 characters or fewer: letters, digits and @ . + - _ only.",
    )
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
        self.REFUSAL_FIELDS = {"login_name_taken": "email" if user else "username"}  # a username stays as it is
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = role_qs(tenant=tenant)
        self.fields["stores"].queryset = store_qs(tenant=tenant)
        if user is None:
            self.fields["password"].required = True
        else:
            self.fields["username"].disabled = True
            self.fields["password"].help_text = "Leave blank to keep the current password."

    # Usernames and e-mails share one namespace over every tenant; the refusal names no one.
    def clean_username(self) -> str:
        username = User.normalize_username(self.cleaned_data["username"])
        if self.user is None and login_name_taken(username):
            raise forms.ValidationError(LOGIN_NAME_TAKEN, code="login_name_taken")
        return username

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email and login_name_taken(email, exclude_pk=getattr(self.user, "pk", None)):
            raise forms.ValidationError(LOGIN_NAME_TAKEN, code="login_name_taken")
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


class LoginForm(auth_forms.AuthenticationForm):
    """Django's login form, saying so when the right password belongs to a deactivated company."""

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "tenant_inactive": (
            "Your company's account has been deactivated, so none of its users can log in. "
            "Ask your main account holder to contact the platform operator."
        ),
    }

    def clean(self):
        try:
            return super().clean()
        except ValidationError as error:
            if error.code == "invalid_login" and not getattr(self.request, "axes_locked_out", False):
                user = user_for_login(self.cleaned_data.get("username", ""))
                password = self.cleaned_data.get("password", "")
                deactivated = user is not None and user.tenant_id and not user.tenant.is_active
                if deactivated and user.is_active and user.check_password(password):
                    raise ValidationError(self.error_messages["tenant_inactive"], code="tenant_inactive") from error
            raise


class PasswordChangeForm(StyledForm, auth_forms.PasswordChangeForm):
    def save(self, commit: bool = True) -> User:
        self.user = services.password_set(user=self.user, actor=self.user, password=self.cleaned_data["new_password1"])
        return self.user


class PreferencesForm(StyledForm, forms.Form):
    time_zone = forms.ChoiceField(
        choices=(), help_text="Dates and times are shown in this zone, with its abbreviation or offset."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(name, name.replace("_", " ")) for name in time_zone_names()]
        self.fields["time_zone"].error_messages["invalid_choice"] = (
            "“%(value)s” is not a time zone; pick one from the list."
        )


class SetPasswordForm(StyledForm, auth_forms.SetPasswordForm):
    """The new password from a reset link; it also lifts a lockout of the account (not of an address)."""

    def save(self, commit: bool = True) -> User:
        self.user = services.password_set(user=self.user, actor=self.user, password=self.cleaned_data["new_password1"])
        axes_reset(username=self.user.username)
        return self.user


class PasswordResetForm(StyledForm, auth_forms.PasswordResetForm):
    def get_users(self, email):
        """No reset mail for the users of a deactivated company."""
        for user in super().get_users(email):
            if user.tenant_id is None or user.tenant.is_active:
                yield user
