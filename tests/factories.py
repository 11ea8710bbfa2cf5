import factory
from factory.django import DjangoModelFactory

from accounts.models import Role, Tenant, User
from channels.models import Channel, Store
from inventory.models import Warehouse

PASSWORD = "s3cret-pass-123"


class TenantFactory(DjangoModelFactory):
    class Meta:
        model = Tenant
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Tenant {n}")


class RoleFactory(DjangoModelFactory):
    class Meta:
        model = Role

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Role {n}")
    perms = factory.List([])


class UserFactory(DjangoModelFactory):
    """A sub-account by default; `owner=True` for the main account; `perms=[...]` gives it a role
    with those product permissions."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        owner = factory.Trait(is_owner=True)

    tenant = factory.SubFactory(TenantFactory)
    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def perms(self, create, extracted, **kwargs):
        if extracted is not None:
            self.role = RoleFactory(tenant=self.tenant, perms=list(extracted))
            if create:
                self.save(update_fields=["role"])


class StoreFactory(DjangoModelFactory):
    class Meta:
        model = Store

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Store {n}")
    channel = Channel.SHOPEE
    site = "MY"
    currency = "MYR"


class WarehouseFactory(DjangoModelFactory):
    class Meta:
        model = Warehouse

    tenant = factory.SubFactory(TenantFactory)
    name = factory.Sequence(lambda n: f"Warehouse {n}")
    code = factory.Sequence(lambda n: f"WH{n}")
