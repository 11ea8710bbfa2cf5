from django.db import transaction

from accounts.permissions import Perm, require_perm
from distribution.models import DistributionSetting


@transaction.atomic
def auto_push_set(*, actor, on: bool) -> DistributionSetting:
    """Turn Auto-push on or off for the actor's tenant."""
    require_perm(actor, Perm.SETTINGS)
    setting, _ = DistributionSetting.objects.select_for_update().get_or_create(tenant=actor.tenant)
    setting.auto_push = on
    setting.save(update_fields=["auto_push"])
    return setting
