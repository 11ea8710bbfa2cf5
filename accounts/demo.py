from accounts.models import Role, Tenant, User
from accounts.permissions import Perm
from core.demo import DEMO_PASSWORD, Demo

ROLES = {
    "After-Sales Operator": [Perm.MANUAL_AFTERSALES],
    "Finance": [Perm.AFTERSALES_REFUND],
    "Warehouse": [Perm.RETURN_STOCKIN],
    "Order Desk": [Perm.CANCEL_ORDERS, Perm.ORDER_ENTRY, Perm.MANUAL_AFTERSALES],
}

SUB_ACCOUNTS = [  # username, role, active, all stores (else granted in channels.demo)
    ("operator", "After-Sales Operator", True, True),
    ("finance", "Finance", True, True),
    ("warehouse", "Warehouse", True, True),
    ("orderdesk", "Order Desk", True, False),
    ("former-staff", "After-Sales Operator", False, True),
]


def _user(username: str, tenant: Tenant, **fields) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"tenant": tenant, "email": f"{username}@demo.local", **fields}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def seed_accounts(demo: Demo) -> None:
    demo.seller, _ = Tenant.objects.get_or_create(name="Demo Seller")
    demo.supplier, _ = Tenant.objects.get_or_create(name="Demo Supplier")
    roles = {}
    for name, perms in ROLES.items():
        roles[name], _ = Role.objects.get_or_create(tenant=demo.seller, name=name, defaults={"perms": perms})
    demo.users["seller"] = _user("seller", demo.seller, is_owner=True, first_name="Siti")
    for username, role, active, all_stores in SUB_ACCOUNTS:
        demo.users[username] = _user(username, demo.seller, role=roles[role], is_active=active, all_stores=all_stores)
    demo.users["supplier"] = _user("supplier", demo.supplier, is_owner=True, first_name="Budi")
    admin = _user("admin", None, is_staff=True, is_superuser=True)
    demo.users["admin"] = admin
