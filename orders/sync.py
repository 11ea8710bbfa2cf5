"""The order sync of a connected store: a periodic pull by update time, and re-fetches by order id.

`pull(store)` walks the orders the platform changed since the cursor (Connection.synced_until) less
an overlap (settings.CHANNEL_SYNC_OVERLAP: a write the platform made visible late is still caught),
then the buyers' cancellation requests of the same window. Each page is upserted in its own
transaction (orders.upsert); the cursor moves once every page of the window has committed, so a
failure replays pages (harmless: upserts are idempotent) and never skips one.

One sync per store at a time: a lease on the Connection row (lease_owner, lease_until), taken with a
conditional UPDATE, renewed on every page, released at the end; a worker that dies leaves a lease
that runs out after settings.CHANNEL_SYNC_LEASE seconds, and the next pull takes it.

`refetch(store, numbers, source)` re-reads named orders (a webhook, Sync now, a sent action). It takes
no lease: its rows are locked by the upsert like a pull's, and a page that lost a race to insert the
same new order is upserted again.
"""

import logging
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from queue import Full, Queue

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.db import connection as db
from django.db.models import F, Q
from django.utils import timezone
from django_fsm import ConcurrentTransition

from channels.adapters.base import PlatformError, PlatformRefused, PlatformUnavailable
from channels.connections import session
from channels.models import Connection, ConnectionStatus, Store
from core.errors import Refused
from orders.cancel_requests import upsert_cancel_requests
from orders.upsert import Upserted, upsert

__all__ = ["Pulled", "pull", "refetch", "upsert"]

logger = logging.getLogger(__name__)

FIRST_PULL = timedelta(days=30)  # how far back a store's first pull reaches
PAGE_TRIES = 3  # a page that lost a race (a row inserted or moved meanwhile) is upserted again


class LeaseLost(Exception):
    """Another worker holds the store's sync now (ours ran out while we were slow)."""


@dataclass
class Pulled:
    upserted: Upserted
    requests: int = 0
    until: datetime | None = None


def lease_seconds() -> int:
    return getattr(settings, "CHANNEL_SYNC_LEASE", 5 * 60)


def take_lease(connection_id: int, owner: str) -> bool:
    """Take or renew the store's sync lease: only when it is free, ours, or ran out."""
    now = timezone.now()
    free = Q(lease_owner="") | Q(lease_owner=owner) | Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    until = now + timedelta(seconds=lease_seconds())
    return bool(Connection.objects.filter(Q(pk=connection_id) & free).update(lease_owner=owner, lease_until=until))


def renew_lease(connection_id: int, owner: str, done: int = 0) -> None:
    """Renew the lease (and count `done` orders in Sync now's progress); LeaseLost when it is not ours."""
    until = timezone.now() + timedelta(seconds=lease_seconds())
    renewed = Connection.objects.filter(pk=connection_id, lease_owner=owner).update(
        lease_until=until, sync_progress=F("sync_progress") + done
    )
    if not renewed:
        raise LeaseLost("another worker took over this store's sync")


def release_lease(connection_id: int, owner: str) -> None:
    Connection.objects.filter(pk=connection_id, lease_owner=owner).update(lease_owner="", lease_until=None)


def page_committed(write, *args) -> object:
    """write(*args) in a transaction of its own, again when it lost a race with another writer.

    A pull's pages commit without waiting for the disk (PostgreSQL synchronous_commit off, see
    _leased): the cursor is saved after them by a normal commit, which flushes the log up to and past
    every page before it, so a crash can lose pages only together with the cursor move."""
    for attempt in range(PAGE_TRIES):
        try:
            with transaction.atomic():
                return write(*args)
        except (IntegrityError, ConcurrentTransition, OperationalError):
            if attempt == PAGE_TRIES - 1:
                raise
            logger.info("Sync page raced with another writer; writing it again.")
    raise AssertionError("unreachable")


def _leased(write, connection_id: int, owner: str, done: int = 0):
    """write() after renewing the lease, in the page's transaction: one statement, no commit of its
    own; the page's commit does not wait for the disk (see page_committed)."""

    def run(*args):
        if db.vendor == "postgresql":
            with db.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        renew_lease(connection_id, owner, done)
        return write(*args)

    return run


def pull(store: Store, *, owner: str = "") -> Pulled | None:
    """One incremental pull of the store; None when another worker is pulling it. Failures are kept
    on the connection in words (last_error) and the cursor stays."""
    connection = Connection.objects.filter(store=store, status=ConnectionStatus.CONNECTED).first()
    owner = owner or uuid.uuid4().hex
    if connection is None or not take_lease(connection.pk, owner):
        return None
    started = timezone.now()
    Connection.objects.filter(pk=connection.pk).update(sync_started_at=started, sync_progress=0)
    try:
        pulled = _walk(store, connection, owner, started)
        # the cursor moves now that every page has committed, and only while the lease is still ours
        moved = Connection.objects.filter(pk=connection.pk, lease_owner=owner).update(
            synced_until=pulled.until,
            last_synced_at=timezone.now(),
            orders_synced=F("orders_synced") + pulled.upserted.created + pulled.upserted.changed,
        )
        if not moved:
            raise LeaseLost("another worker took over this store's sync")
    except Exception as error:  # any failure is the seller's to read; ours are raised again
        _record_failure(connection.pk, error)
        if not isinstance(error, PlatformError | Refused | LeaseLost):
            raise
        return Pulled(Upserted())
    finally:
        release_lease(connection.pk, owner)
    return pulled


def _walk(store: Store, connection: Connection, owner: str, now: datetime) -> Pulled:
    # platforms filter by whole seconds: this second is in; what it writes after now, the overlap catches
    until = now.replace(microsecond=0) + timedelta(seconds=1)
    overlap = timedelta(seconds=settings.CHANNEL_SYNC_OVERLAP)
    since = connection.synced_until - overlap if connection.synced_until else until - FIRST_PULL
    pulled = Pulled(Upserted(), until=until)
    skus: dict[str, int] = {}  # the SKU ids found so far in this pull
    with session(store) as link:
        walk = link.adapter.changed_orders(link.access_token, link.shop, since, until, page_size=100)
        with closing(prefetched(walk)) as pages:  # its thread ends before the session closes the client
            for page in pages:
                write = _leased(partial(upsert, skus=skus), connection.pk, owner, len(page))
                pulled.upserted += page_committed(write, store, page, "pull")
        search = getattr(link.adapter, "cancel_requests", None)
        if search is not None:
            for page in search(link.access_token, link.shop, since=since, until=until):
                pulled.requests += page_committed(
                    _leased(upsert_cancel_requests, connection.pk, owner), store, page, "pull"
                )
    return pulled


def prefetched(pages: Iterator[list], depth: int = 2) -> Iterator[list]:
    """The pages of `pages`, fetched by a thread of their own up to `depth` ahead: the platform's next
    answer travels while this thread writes the last one. Ends (and the thread with it) when the walk
    ends, fails (raised here) or the caller stops early."""
    queue: Queue = Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def offer(item) -> bool:
        """Put `item` unless the consumer has stopped; False then."""
        while not stop.is_set():
            try:
                queue.put(item, timeout=0.1)
                return True
            except Full:
                continue
        return False

    def fetch() -> None:
        try:
            for page in pages:
                if not offer(page):
                    return
            offer(done)
        except BaseException as error:  # handed to the consumer, raised there
            offer(error)

    thread = threading.Thread(target=fetch, name="sync-prefetch", daemon=True)
    thread.start()
    try:
        while (item := queue.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


def refetch(store: Store, numbers: Sequence[str], source: str) -> Upserted:
    """Re-read the named orders (the platform's ids) and their buyers' requests, now."""
    numbers = list(dict.fromkeys(str(n) for n in numbers if n))
    done = Upserted()
    if not numbers:
        return done
    connection = Connection.objects.filter(store=store).first()
    try:
        with session(store) as link:
            done += page_committed(upsert, store, link.adapter.orders(link.access_token, link.shop, numbers), source)
            search = getattr(link.adapter, "cancel_requests", None)
            if search is not None:
                for page in search(link.access_token, link.shop, order_ids=numbers):
                    page_committed(upsert_cancel_requests, store, page, source)
    except (PlatformError, Refused) as error:
        if connection is not None:
            _record_failure(connection.pk, error)
        raise
    return done


def describe(error: Exception) -> str:
    """The failure in words a seller can act on."""
    if isinstance(error, PlatformUnavailable):
        return f"The platform could not be reached or kept failing; the sync will try again. ({error})"
    if isinstance(error, PlatformRefused):
        return f"The platform refused the sync: {error.message} (code {error.code})."
    if isinstance(error, Refused):
        return error.message
    if isinstance(error, LeaseLost):
        return "Another sync of this store took over; this one stopped."
    if isinstance(error, PlatformError):
        return f"The platform answered in a way we cannot read: {error}"
    return f"The sync failed on our side ({type(error).__name__}); it will try again."


def _record_failure(connection_id: int, error: Exception) -> None:
    logger.warning("Order sync of connection %s failed: %s", connection_id, error)
    Connection.objects.filter(pk=connection_id).update(last_error=describe(error)[:2000], last_error_at=timezone.now())
