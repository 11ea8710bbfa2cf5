from django.contrib.auth.backends import ModelBackend

from accounts.permissions import Perm
from channels.permissions import ACCESS_STORE


class RoleBackend(ModelBackend):
    """Logs in by username or e-mail; grants the product's permissions from the user's role.

    The main account holds every product permission. Store access for unrestricted users is
    granted here; restricted sub-accounts get it per store from guardian's backend.

    A tenant's users get their permissions from their role only: nothing grants them Django's
    groups or user permissions (sub-accounts are managed in Settings, not in the admin), so those
    two tables are asked only for platform users, whose admin rights they hold.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        from accounts.models import User
        from accounts.selectors import user_for_login

        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = user_for_login(username)
        if user is None:
            User().set_password(password)  # as long as a wrong password: the timing tells no name apart
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The request's user with its tenant and role, in one query: the tenant middleware, the
        check below and the permission checks all read them."""
        from accounts.models import User

        try:
            user = User._default_manager.select_related("tenant", "role").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user) -> bool:
        """Also asked for every request of a logged-in user (get_user): a deactivated tenant's users are
        refused at login and logged out on their next request."""
        tenant = user.tenant if user.tenant_id else None
        return super().user_can_authenticate(user) and (tenant is None or tenant.is_active)

    def get_user_permissions(self, user_obj, obj=None):
        return set() if getattr(user_obj, "tenant_id", None) else super().get_user_permissions(user_obj, obj)

    def get_group_permissions(self, user_obj, obj=None):
        return set() if getattr(user_obj, "tenant_id", None) else super().get_group_permissions(user_obj, obj)

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        if obj is not None:
            return self._object_permissions(user_obj, obj)
        if user_obj.tenant_id is None:
            return super().get_all_permissions(user_obj)  # the platform's staff: Django's own tables
        if not hasattr(user_obj, "_role_perm_cache"):
            if user_obj.is_owner:
                granted = set(Perm.values)
            else:
                granted = set(user_obj.role.perms) & set(Perm.values) if user_obj.role_id else set()
            user_obj._role_perm_cache = granted
        return user_obj._role_perm_cache

    def _object_permissions(self, user_obj, obj) -> set[str]:
        from channels.models import Store

        own_store = isinstance(obj, Store) and user_obj.tenant_id is not None and obj.tenant_id == user_obj.tenant_id
        if own_store and user_obj.sees_all_stores:
            return {ACCESS_STORE}
        return set()
