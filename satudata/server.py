"""The web server's settings: ``gunicorn -c python:satudata.server 'satudata:create_app()'``.

``satudata run`` starts gunicorn so, and so should a deployment (docker/Dockerfile,
docs/deploy.md). What it does for memory and throughput (issue #17):

- **Preload**: the master builds the app once and forks the web processes, which share its
  memory (the code, templates, translations) page by page until they write to it. The app opens
  no database connection, Redis connection or search index while it is built, and
  :func:`post_fork` drops whatever a process inherited anyway, so nothing is shared between
  processes but memory. :func:`when_ready` loads, before the fork, what every process would
  load on its first requests.
- **As many web processes as cores** (``WEB_WORKERS``, default the cores), each with
  ``WEB_THREADS`` threads (gthread): the portal's requests are mostly Python work, which one
  process does on one core at a time.
- **Bounded growth**: a web process is replaced after ``WEB_MAX_REQUESTS`` requests (with up to
  10 % jitter, so they do not restart together) and, checked every 100th request, once its own
  resident memory (heap, not mapped files) exceeds ``WEB_MAX_MEMORY_MB``. It finishes
  the requests in hand first; the master forks a fresh one from the preloaded app.

Settings are read with ``config.setting`` (``SATUDATA_*`` environment or the defaults), as the
app itself would read them. Command-line options given to gunicorn win over this file.
"""

from __future__ import annotations

import logging
import os
from typing import Any

# Gunicorn takes every module-level name it knows as a setting (``config`` is one): imports are
# named so that none is taken by accident.
from satudata import config as _settings

_log = logging.getLogger("satudata.server")

worker_class = "gthread"
# The cores this process may run on (a container's or a cgroup's share, not the host's count;
# the host's where the system cannot say).
_cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
workers = int(_settings.setting("WEB_WORKERS") or _cores or 1)
threads = int(_settings.setting("WEB_THREADS") or 1)
preload_app = True
max_requests = int(_settings.setting("WEB_MAX_REQUESTS") or 0)
max_requests_jitter = max_requests // 10
# Keep-alive connections (API clients, harvesters, a browser's page and its assets) are kept
# open between requests without holding a thread.
keepalive = 5
# One line per request (gunicorn's access log) where WEB_ACCESS_LOG says: "-" for the standard
# output, or a file. Off by default: the reverse proxy in front (nginx) logs every request
# already, and writing them again costs the web processes about a tenth of their time under load.
accesslog = _settings.setting("WEB_ACCESS_LOG") or None
graceful_timeout = 30
timeout = 120
MAX_MEMORY_MB = int(_settings.setting("WEB_MAX_MEMORY_MB") or 0)
CHECK_EVERY = 100


def resident_mb() -> float:
    """This process's own resident memory in MB: its heap and other anonymous pages
    (``RssAnon`` of ``/proc/self/status``; 0 where there is none). Mapped files (the search
    index, which at a million datasets is hundreds of MB) are the kernel's page cache, not
    growth, and are left out."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


def when_ready(server: Any) -> None:
    """In the master, before the web processes are forked: load what each of them would load on
    its first requests (the search engine's module and Indonesian stemmer, every template
    compiled), then move everything alive out of the garbage collector's sight (``gc.freeze``),
    so that neither a collection nor a first request copies the shared pages into each process."""
    import gc

    server.app.wsgi().warm_up()  # the Portal: each domain's warm-ups, and the templates
    gc.collect()
    gc.freeze()


def post_fork(server: Any, worker: Any) -> None:
    """A new web process: no database connection, Redis client or open search index of the master
    (there should be none; this makes sure)."""
    from satudata.extensions import db

    app = worker.app.wsgi()
    with app.app_context():
        db.engine.dispose(close=False)  # the master's connections stay the master's
    app.extensions.pop("satudata_redis", None)
    worker.satudata_requests = 0


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    """Every ``CHECK_EVERY`` requests, retire this process when it has grown past the limit."""
    if not MAX_MEMORY_MB:
        return
    worker.satudata_requests = getattr(worker, "satudata_requests", 0) + 1
    if worker.satudata_requests % CHECK_EVERY:
        return
    used = resident_mb()
    if used > MAX_MEMORY_MB and worker.alive:
        _log.warning("web process %s holds %.0f MB (WEB_MAX_MEMORY_MB %d): replaced after its requests",
                    worker.pid, used, MAX_MEMORY_MB)
        worker.alive = False
