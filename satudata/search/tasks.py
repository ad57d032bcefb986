"""Jobs of the ``search`` queue: the only writer of the index in production.

A sync that fails because the engine is down leaves its dataset id in a Redis set;
``catch_up`` (periodic) re-syncs those ids once the engine answers again, and rebuilds
everything when the index and the database disagree on the count.
"""

from __future__ import annotations

import logging

from satudata import jobs
from satudata.search import services
from satudata.search.backend import SearchUnavailable

log = logging.getLogger(__name__)

PENDING_KEY = "satudata:search:pending"


def sync_dataset(dataset_id: str) -> bool:
    """Index or remove one dataset's document, as the database says now."""
    try:
        return services.index_dataset(dataset_id)
    except SearchUnavailable:
        jobs.get_redis().sadd(PENDING_KEY, dataset_id)
        raise


def sync_organization(organization_id: int) -> int:
    """Re-sync the documents of one organisation's datasets (after a rename)."""
    return services.index_organization(organization_id)


def rebuild_index() -> int:
    """Rebuild the whole index from the database."""
    return services.reindex_all()


def catch_up() -> int:
    """Re-sync the datasets whose sync failed while the engine was down, then rebuild if the
    counts still disagree. Returns how many documents were written."""
    status = services.search_status()
    if status.health.get("status") != "ok":
        return 0
    redis = jobs.get_redis()
    done = 0
    while True:
        raw = redis.spop(PENDING_KEY)
        if raw is None:
            break
        dataset_id = raw.decode() if isinstance(raw, bytes) else str(raw)
        try:
            services.index_dataset(dataset_id)
        except SearchUnavailable:
            redis.sadd(PENDING_KEY, dataset_id)
            return done
        done += 1
    status = services.search_status()
    if status.indexed is not None and not status.in_sync:
        log.warning("search index holds %s documents for %s public datasets; rebuilding",
                    status.indexed, status.published)
        done += services.reindex_all()
    return done
