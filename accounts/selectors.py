from django.db.models import Count, Q, QuerySet

from accounts.filters import AccountEventFilter, RoleFilter, SubAccountFilter
from accounts.models import AccountEvent, Role, User


def subaccount_qs(*, tenant) -> QuerySet[User]:
    return User.objects.for_tenant(tenant).filter(is_owner=False).select_related("role")


def subaccount_list(*, tenant, active: bool, params=None) -> QuerySet[User]:
    """The active (or disabled) sub-accounts by username, filtered by `params` through SubAccountFilter."""
    users = subaccount_qs(tenant=tenant).filter(is_active=active)
    return SubAccountFilter(params, users, tenant=tenant).qs.order_by("username")


def subaccount_counts(*, tenant) -> dict[str, int]:
    return subaccount_qs(tenant=tenant).aggregate(
        active=Count("pk", filter=Q(is_active=True)), disabled=Count("pk", filter=Q(is_active=False))
    )


def role_qs(*, tenant) -> QuerySet[Role]:
    return Role.objects.for_tenant(tenant).annotate(user_count=Count("users"))


def role_list(*, tenant, params=None) -> QuerySet[Role]:
    return RoleFilter(params, role_qs(tenant=tenant), tenant=tenant).qs


def tenant_users(*, tenant) -> QuerySet[User]:
    """The tenant's active users, main account first: who can be put in charge of a case."""
    return User.objects.for_tenant(tenant).filter(is_active=True).order_by("-is_owner", "username")


def user_for_login(login: str) -> User | None:
    """The one user a typed login names: by username, else by e-mail, case-insensitively. The login
    namespace is unique across both fields, so there is never a choice to make; on rows written before
    it was, the user who chose the name as a username keeps it."""
    login = User.normalize_username((login or "").strip())
    if not login or "\x00" in login:
        return None
    users = list(User.objects.filter(Q(username__iexact=login) | Q(email__iexact=login)).select_related("tenant")[:3])
    for field in ("username", "email"):
        named = [user for user in users if getattr(user, field).lower() == login.lower()]
        if len(named) == 1:
            return named[0]
        if named:
            return None
    return None


def account_event_qs(*, tenant, params=None) -> QuerySet[AccountEvent]:
    events = AccountEvent.objects.for_tenant(tenant).select_related("actor")
    return AccountEventFilter(params, events, tenant=tenant).qs
