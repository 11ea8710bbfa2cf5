"""The filters of Settings > Sub-accounts, Roles and History, applied by their selectors (core/filters.py says how)."""

from django_filters import ChoiceFilter

from accounts.models import AccountEvent, Role
from core.filters import FilterSet, RowFilter, day_range, search


def tenant_roles(filters: FilterSet):
    return Role.objects.for_tenant(filters.tenant)


class SubAccountFilter(FilterSet):
    """Sub-accounts (its Active / Disabled tabs are the list's own): a search, the role."""

    q = search("username", "email", placeholder="Username or e-mail")
    role = RowFilter(queryset=tenant_roles, label="Role", empty_label="All roles")


class RoleFilter(FilterSet):
    q = search("name", placeholder="Role name")


class AccountEventFilter(FilterSet):
    """History: what changed, and the days it changed in."""

    type = ChoiceFilter(choices=AccountEvent.Type.choices, label="Change", empty_label="All changes")
    locals().update(day_range("created_at"))
