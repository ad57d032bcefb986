"""Jobs of the ``search`` queue: the only writer of the index in production.

A sync that fails because the engine is down leaves its dataset id in a Redis set;
``catch_up`` (periodic) re-syncs those ids once the engine answers again, and rebuilds
everything when the index and the database disagree on the count, or the engine says the
index must be rebuilt (Elasticsearch: the alias is missing, an index squats on its name, or
its mapping is older than the code).

A document the engine refuses (``DocumentRefused``: retrying the same document cannot help)
is logged and kept in a second set, ``REFUSED_KEY``, instead of the pending one: it is not
retried for ever, and the count comparison allows for it, so it does not make ``catch_up``
rebuild every time either. A later successful sync of that dataset takes it out.
"""

from __future__ import annotations

import logging

from satudata import jobs
from satudata.search import services
from satudata.search.backend import SearchUnavailable, get_backend
from satudata.search.elasticsearch import DocumentRefused, RebuildInProgress

log = logging.getLogger(__name__)

PENDING_KEY = "satudata:search:pending"
REFUSED_KEY = "satudata:search:refused"


def sync_dataset(dataset_id: str) -> bool:
    """Index or remove one dataset's document, as the database says now."""
    redis = jobs.get_redis()
    try:
        indexed = services.index_dataset(dataset_id)
    except DocumentRefused as exc:
        log.error("search engine refused dataset %s for good: %s", dataset_id, exc.details)
        redis.sadd(REFUSED_KEY, dataset_id)
        return False
    except SearchUnavailable:
        redis.sadd(PENDING_KEY, dataset_id)
        raise
    redis.srem(REFUSED_KEY, dataset_id)
    return indexed


def sync_organization(organization_id: int) -> int:
    """Re-sync the documents of one organisation's datasets (after a rename)."""
    return services.index_organization(organization_id)


def _rebuild() -> int:
    """Rebuild from the database and remember what the engine refused; 0 when another
    process is rebuilding already."""
    try:
        n = services.reindex_all()
    except RebuildInProgress:
        log.info("search index rebuild skipped: another process is rebuilding it")
        return 0
    refused = list(getattr(get_backend(), "refused", []) or [])
    redis = jobs.get_redis()
    pipe = redis.pipeline()
    pipe.delete(REFUSED_KEY)
    if refused:
        log.error("search engine refused %d datasets in the rebuild, e.g. %s", len(refused), refused[:5])
        pipe.sadd(REFUSED_KEY, *refused)
    pipe.execute()
    return n


def rebuild_index() -> int:
    """Rebuild the whole index from the database."""
    return _rebuild()


def catch_up() -> int:
    """Re-sync the datasets whose sync failed while the engine was down, then rebuild if the
    index needs it. Returns how many documents were written."""
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
        except DocumentRefused:
            log.error("search engine refused dataset %s for good", dataset_id)
            redis.sadd(REFUSED_KEY, dataset_id)
            continue
        except SearchUnavailable:
            redis.sadd(PENDING_KEY, dataset_id)
            return done
        redis.srem(REFUSED_KEY, dataset_id)
        done += 1
    status = services.search_status()
    refused = int(redis.scard(REFUSED_KEY) or 0)
    if status.health.get("rebuild_needed"):
        log.warning("search index must be rebuilt: %s", status.health.get("problem"))
        done += _rebuild()
    elif status.indexed is not None and status.indexed + refused != status.published:
        log.warning("search index holds %s documents (%s refused) for %s public datasets; rebuilding",
                    status.indexed, refused, status.published)
        done += _rebuild()
    return done
