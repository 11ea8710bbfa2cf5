from django.db.models import Count, Q, QuerySet

from accounts.models import Role, User


def subaccount_qs(*, tenant) -> QuerySet[User]:
    return User.objects.for_tenant(tenant).filter(is_owner=False).select_related("role")


def subaccount_counts(*, tenant) -> dict[str, int]:
    return subaccount_qs(tenant=tenant).aggregate(
        active=Count("pk", filter=Q(is_active=True)), disabled=Count("pk", filter=Q(is_active=False))
    )


def role_qs(*, tenant) -> QuerySet[Role]:
    return Role.objects.for_tenant(tenant).annotate(user_count=Count("users"))


def tenant_users(*, tenant) -> QuerySet[User]:
    """The tenant's active users, main account first: who can be put in charge of a case."""
    return User.objects.for_tenant(tenant).filter(is_active=True).order_by("-is_owner", "username")
