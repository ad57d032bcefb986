"""A job used only by tests/test_jobs.py to prove the queue mechanism end to end: it runs in
a real worker process, needs an app context and the database, and leaves a visible trace."""

from __future__ import annotations

from satudata.accounts.services import audit
from satudata.authz import SystemActor


def write_trace(marker: str) -> str:
    audit(SystemActor("jobs-probe"), "probe.ran", "probe", marker)  # the job's unit of work commits it
    return marker
