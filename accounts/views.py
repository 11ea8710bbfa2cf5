from axes.helpers import get_cool_off
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts import selectors, services
from accounts.filters import AccountEventFilter, RoleFilter, SubAccountFilter
from accounts.forms import LoginForm, PreferencesForm, RoleForm, SetPasswordForm, SubAccountForm
from accounts.permissions import owner_required
from core.actions import perform
from core.htmx import render_page
from core.paging import page_context
from core.tabs import build_tabs
from core.types import AppRequest

SUBACCOUNT_TABS = {"active": "Active", "disabled": "Disabled"}


def locked_out(request, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out login, on either login page: what happened and what to do.
    It names no account: the one an e-mail belongs to is nobody else's business."""
    minutes = max(1, round(get_cool_off(request).total_seconds() / 60))
    wait = f"{minutes} minutes" if minutes < 90 else f"{round(minutes / 60)} hours"
    return render(request, "registration/locked_out.html", {"wait": wait}, status=429)


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's, answering 404 to a link that is wrong or used up (nothing is found under that name)."""

    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-done")

    def render_to_response(self, context, **kwargs):
        if not context.get("validlink"):
            kwargs["status"] = 404
        return super().render_to_response(context, **kwargs)


@require_http_methods(["GET", "POST"])
def preferences(request: AppRequest) -> HttpResponse:
    """The logged-in user's own preferences, beside the password change: any user, any role."""
    form = PreferencesForm(request.POST or None, initial={"time_zone": request.user.time_zone})
    if request.method == "POST" and form.is_valid():
        saved = perform(
            request,
            lambda: services.preferences_set(
                user=request.user, actor=request.user, time_zone=form.cleaned_data["time_zone"]
            ),
            success="Preferences saved: times are now shown in your time zone.",
            redirect_to="accounts:preferences",
            form=form,
        )
        if saved:
            return saved
    return render(request, "accounts/preferences.html", {"form": form})


@require_GET
@vary_on_headers("HX-Request")
@owner_required
def subaccount_list(request: AppRequest) -> HttpResponse:
    tab, tabs = build_tabs(
        request.GET, labels=SUBACCOUNT_TABS, counts=selectors.subaccount_counts(tenant=request.tenant)
    )
    users = selectors.subaccount_list(tenant=request.tenant, active=(tab == "active"), params=request.GET)
    filters = SubAccountFilter(request.GET, tenant=request.tenant).form
    return render_page(
        request,
        "accounts/subaccount_list.html",
        {"tabs": tabs, "users": users, "filters": filters},
        partial="subaccount-panel",
    )


@require_http_methods(["GET", "POST"])
@owner_required
def subaccount_create(request: AppRequest) -> HttpResponse:
    form = SubAccountForm(request.POST or None, tenant=request.tenant)
    if request.method == "POST" and form.is_valid():
        created = perform(
            request,
            lambda: services.subaccount_create(tenant=request.tenant, actor=request.user, **form.cleaned_data),
            success=lambda user: f"Sub-account {user.username} created.",
            redirect_to="settings:subaccount-list",
            form=form,
        )
        if created:
            return created
    return render(request, "accounts/subaccount_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@owner_required
def subaccount_edit(request: AppRequest, user_id: int) -> HttpResponse:
    user = get_object_or_404(selectors.subaccount_qs(tenant=request.tenant), pk=user_id)
    initial = {
        "username": user.username,
        "email": user.email,
        "role": user.role,
        "all_stores": user.all_stores,
        "stores": [perm.content_object for perm in user.storeuserobjectpermission_set.all()],
    }
    form = SubAccountForm(request.POST or None, tenant=request.tenant, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "username"}
        saved = perform(
            request,
            lambda: services.subaccount_update(user=user, actor=request.user, **data),
            success=f"Sub-account {user.username} saved.",
            redirect_to="settings:subaccount-list",
            form=form,
        )
        if saved:
            return saved
    return render(request, "accounts/subaccount_form.html", {"form": form, "subaccount": user})


@require_POST
@owner_required
def subaccount_toggle(request: AppRequest, user_id: int) -> HttpResponse:
    user = get_object_or_404(selectors.subaccount_qs(tenant=request.tenant), pk=user_id)
    user = services.subaccount_set_active(user=user, actor=request.user, active=not user.is_active)
    messages.success(request, f"Sub-account {user.username} {'enabled' if user.is_active else 'disabled'}.")
    return redirect("settings:subaccount-list")


@require_GET
@owner_required
def role_list(request: AppRequest) -> HttpResponse:
    roles = selectors.role_list(tenant=request.tenant, params=request.GET)
    return render(request, "accounts/role_list.html", {"roles": roles, "filters": RoleFilter(request.GET).form})


@require_http_methods(["GET", "POST"])
@owner_required
def role_create(request: AppRequest) -> HttpResponse:
    form = RoleForm(request.POST or None, tenant=request.tenant)
    if request.method == "POST" and form.is_valid():
        role = services.role_create(tenant=request.tenant, actor=request.user, **form.cleaned_data)
        messages.success(request, f"Role {role.name} created.")
        return redirect("settings:role-list")
    return render(request, "accounts/role_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@owner_required
def role_edit(request: AppRequest, role_id: int) -> HttpResponse:
    role = get_object_or_404(selectors.role_qs(tenant=request.tenant), pk=role_id)
    form = RoleForm(
        request.POST or None, tenant=request.tenant, role=role, initial={"name": role.name, "perms": role.perms}
    )
    if request.method == "POST" and form.is_valid():
        services.role_update(role=role, actor=request.user, **form.cleaned_data)
        messages.success(request, f"Role {role.name} saved.")
        return redirect("settings:role-list")
    return render(request, "accounts/role_form.html", {"form": form, "role": role})


@require_POST
@owner_required
def role_delete(request: AppRequest, role_id: int) -> HttpResponse:
    role = get_object_or_404(selectors.role_qs(tenant=request.tenant), pk=role_id)
    return perform(
        request,
        lambda: services.role_delete(role=role, actor=request.user),
        success=f"Role {role.name} deleted.",
        redirect_to="settings:role-list",
    )


@require_GET
@owner_required
def history(request: AppRequest) -> HttpResponse:
    """Who changed which account, role or store access, and when: newest first."""
    events = selectors.account_event_qs(tenant=request.tenant, params=request.GET)
    context = {**page_context(request, events), "filters": AccountEventFilter(request.GET).form}
    return render(request, "accounts/history.html", context)
