"""Periodic work of the channel layer (beat: config/settings/base.py CELERY_BEAT_SCHEDULE)."""

import logging
from contextlib import closing

from celery import shared_task
from django.utils import timezone

logger = logging.getLogger(__name__)

MAX_PER_RUN = 500  # connections refreshed by one run; the next run (a minute later) takes the rest


@shared_task
def connections_refresh_task() -> int:
    """Renew the tokens about to expire (within connections.REFRESH_AHEAD), so no sync or action waits on
    a refresh. A refusal marks the store Re-authorize (connections.refresh); an unreachable platform
    changes nothing and is tried again on the next run. Returns how many were renewed."""
    from channels.adapters import adapter_for  # imported here: a task module loads before the models are
    from channels.adapters.base import PlatformError
    from channels.connections import REFRESH_AHEAD, refresh
    from channels.models import Connection, ConnectionStatus

    due = Connection.objects.filter(
        status=ConnectionStatus.CONNECTED, access_expires_at__lte=timezone.now() + REFRESH_AHEAD
    ).select_related("store")
    renewed = 0
    for connection in due.order_by("access_expires_at")[:MAX_PER_RUN]:
        try:
            with closing(adapter_for(connection.store.channel)) as adapter:
                after = refresh(connection, adapter)
        except (PlatformError, KeyError) as failed:  # KeyError: no adapter configured for the channel
            logger.warning("token refresh of store %s failed: %r", connection.store_id, failed)
            continue
        renewed += after.status == ConnectionStatus.CONNECTED
    return renewed
