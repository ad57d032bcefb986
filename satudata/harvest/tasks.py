"""Harvest jobs: one run of a source (RQ queue ``harvest``), and the periodic sweep that
starts scheduled runs and marks runs whose worker died as failed.

A run streams: *gather* yields remote records page by page, each is *fetched* and *imported*
at once, and the job's counts, heartbeat and objects are committed every
:data:`CHECKPOINT_EVERY` records, so a run of 100,000 records never holds them all and the
pages show its progress. Per record: the content hash of the raw record against the one last
harvested; equal, the record costs a row in the job's log and nothing else (``unchanged``);
otherwise it is mapped and imported in a savepoint, so a record that fails rolls back alone
(``error``, with its reason) and the run goes on. Only after a *complete* gather are records
that did not come back withdrawn (a source that failed midway, or returned nothing at all
while we hold its datasets, withdraws nothing: nothing already harvested is lost).
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, select, update

from harvesters.base import Gathered, HarvestContext, HarvestError, ListsIds, content_hash
from harvesters.http import FetchError
from satudata import jobs
from satudata.authz import SystemActor
from satudata.catalog.models import Dataset
from satudata.db import utcnow
from satudata.errors import DomainError
from satudata.extensions import db
from satudata.harvest import importer, services
from satudata.harvest.models import (
    HarvestJob,
    HarvestObject,
    HarvestRecord,
    HarvestSource,
    JobStatus,
    ObjectStatus,
)

log = logging.getLogger(__name__)

CHECKPOINT_EVERY = 100  # records between commits of the job's progress
CHECKPOINT_SECONDS = 30  # ... or seconds (a slow source still shows progress and a heartbeat)
STALE_AFTER = 900  # seconds without a heartbeat before a running job counts as dead
SCHEDULER = SystemActor("harvest-jadwal")


class _Cancelled(Exception):
    pass


class Run:
    """One run of a source: the state the stages share."""

    def __init__(self, job: HarvestJob) -> None:
        self.job = job
        self.source: HarvestSource = job.source
        self.harvester = services.plugin(self.source.type)
        self.counts: Counter[str] = Counter()
        self.seen: set[str] = set()
        self.since_checkpoint = 0
        self.last_checkpoint = time.monotonic()
        # remote id -> (record id, content hash, dataset id, withdrawn): ids and digests only
        # (about 150 bytes a record), never the records themselves.
        self.known: dict[str, tuple[int, str | None, str | None, bool]] = {
            rid: (pk, digest, ds, withdrawn) for pk, rid, digest, ds, withdrawn in db.session.execute(
                select(HarvestRecord.id, HarvestRecord.remote_id, HarvestRecord.content_hash,
                       HarvestRecord.dataset_id, HarvestRecord.withdrawn)
                .where(HarvestRecord.source_id == self.source.id))}

    # ------------------------------------------------------------------ bookkeeping

    def log(self, remote_id: str, status: ObjectStatus, *, dataset: Dataset | None = None, title: str | None = None,
            message: str | None = None) -> None:
        self.counts[status.value] += 1
        db.session.add(HarvestObject(job_id=self.job.id, remote_id=remote_id[:500], status=status,
                                     dataset_id=dataset.id if dataset is not None else None,
                                     title=(title or (dataset.title if dataset is not None else None) or "")[:300] or None,
                                     message=message))
        self.since_checkpoint += 1
        if self.since_checkpoint >= CHECKPOINT_EVERY or time.monotonic() - self.last_checkpoint > CHECKPOINT_SECONDS:
            self.checkpoint()

    def checkpoint(self) -> None:
        self.since_checkpoint = 0
        self.last_checkpoint = time.monotonic()
        self.job.counts = dict(self.counts)
        self.job.gathered = len(self.seen)
        self.job.heartbeat_at = utcnow()
        jobs.checkpoint()
        cancelled = db.session.scalar(select(HarvestJob.cancel_requested).where(HarvestJob.id == self.job.id))
        if cancelled:
            raise _Cancelled()

    def stage(self, name: str) -> None:
        self.job.stage = name
        self.checkpoint()

    # ------------------------------------------------------------------ the stages

    def run(self, ctx: HarvestContext) -> None:
        self.stage("gather")
        try:
            for item in self.harvester.gather(ctx):
                self.one(ctx, item)
            self.job.gather_complete = True
        except (HarvestError, FetchError) as exc:  # a plug-in may let the guarded session's error through
            self.job.errors = [*self.job.errors, f"Pengumpulan daftar dataset terhenti: {exc.message}"]
        if not self.job.gather_complete:
            return
        if ctx.since is None:
            self.withdraw_missing(self.seen)
            return
        # An incremental run saw only what changed: what is still there comes from the source's
        # whole list of ids (light), and only a whole list withdraws anything.
        self.stage("list")
        if not isinstance(self.harvester, ListsIds):
            return
        try:
            present = set(self.harvester.list_ids(ctx))
        except (HarvestError, FetchError) as exc:
            self.job.errors = [*self.job.errors, f"Daftar id sumber tidak terbaca, penarikan dilewati: {exc.message}"]
            return
        self.withdraw_missing(present | self.seen)

    def one(self, ctx: HarvestContext, item: Gathered) -> None:
        try:
            self._one(ctx, item)
        except (jobs.JobTimeout, _Cancelled):
            raise
        except Exception as exc:  # a plug-in's bug, a database refusal: this record's error, the run goes on
            log.exception("harvest job %s: record %s failed", self.job.id, item.remote_id)
            self.log(str(item.remote_id or "(tanpa id)"), ObjectStatus.ERROR,
                     message=f"Kesalahan sistem pada rekaman ini ({type(exc).__name__}); pengelola portal dapat "
                             "membaca log pekerja. Rekaman lain tetap dipanen.")

    def _one(self, ctx: HarvestContext, item: Gathered) -> None:
        rid = str(item.remote_id or "").strip()[:500]
        if not rid:
            self.log("(tanpa id)", ObjectStatus.ERROR, message="Record di sumber tidak punya id; dilewati.")
            return
        if rid in self.seen:
            self.log(rid, ObjectStatus.ERROR, message="Id ini muncul lebih dari sekali di sumber; yang pertama dipakai.")
            return
        self.seen.add(rid)
        try:
            raw = self.harvester.fetch(ctx, item)
        except (HarvestError, FetchError) as exc:
            self.log(rid, ObjectStatus.ERROR, message=exc.message)
            return
        # The source's settings are part of what a record becomes (default tags and topics, the
        # organisation map): changing them re-imports each record once.
        digest = content_hash([raw, self.source.config])
        known = self.known.get(rid)
        same = known is not None and known[1] == digest and not known[3]
        if same and known is not None and known[2] is not None:
            self.log(rid, ObjectStatus.UNCHANGED)
            return
        try:
            remote = self.harvester.map(ctx, raw)
        except (HarvestError, FetchError) as exc:
            self.log(rid, ObjectStatus.ERROR, message=exc.message)
            return
        if same and not remote.makes_dataset:  # a Daftar Data record imported before, as it is now
            self.log(rid, ObjectStatus.UNCHANGED, title=remote.title)
            return
        dataset = db.session.get(Dataset, known[2]) if known is not None and known[2] else None
        try:
            with db.session.begin_nested():
                if not remote.makes_dataset:
                    # Only Daftar Data (a SIPD indicator without final values): a dataset the
                    # record made before stays as it is.
                    outcome = importer.Outcome(ObjectStatus.UNCHANGED, dataset)
                elif dataset is None:
                    outcome = importer.create(self.source, remote)
                else:
                    outcome = importer.update(self.source, dataset, remote,
                                              withdrawn_by_harvest=known is not None and known[3])
                if remote.daftar:
                    self._daftar(remote, outcome)
                self._keep(rid, known, outcome.dataset, digest, item.modified or remote.modified, raw)
        except DomainError as exc:
            self.log(rid, ObjectStatus.ERROR, title=remote.title, message=exc.message)
            return
        self.log(rid, outcome.status, dataset=outcome.dataset, title=remote.title, message=outcome.message)

    def _daftar(self, remote: Any, outcome: importer.Outcome) -> None:
        """Import the Daftar Data items of a record; the record's status says what happened to
        them too (new when an item was added, changed when one was)."""
        # A year new in this run is fulfilled by the revision holding it (while it waits for
        # review), not by the published dataset, which does not hold that year yet.
        counts = importer.import_daftar(self.source, remote, outcome.values_holder, outcome.notes)
        if counts["created"] and outcome.status == ObjectStatus.UNCHANGED:
            outcome.status = ObjectStatus.NEW
        elif counts["updated"] and outcome.status == ObjectStatus.UNCHANGED:
            outcome.status = ObjectStatus.UPDATED
        said = [f"{counts[k]} butir {label}" for k, label in (("created", "baru"), ("updated", "diperbarui"))
                if counts[k]]
        if said:
            outcome.notes.append(f"Daftar Data: {', '.join(said)}.")
        outcome.notes[:] = list(dict.fromkeys(outcome.notes))

    def _keep(self, rid: str, known: tuple[int, str | None, str | None, bool] | None, dataset: Dataset | None,
              digest: str, modified: str | None, raw: Any) -> None:
        record = db.session.get(HarvestRecord, known[0]) if known is not None else None
        if record is None:
            record = HarvestRecord(source_id=self.source.id, remote_id=rid)
            db.session.add(record)
        record.dataset_id = dataset.id if dataset is not None else None
        record.content_hash = digest
        record.modified = (modified or "")[:50] or None
        record.raw = raw
        record.withdrawn = False
        record.harvested_at = utcnow()
        record.last_job_id = self.job.id

    def withdraw_missing(self, present: set[str]) -> None:
        live = [(rid, ds) for rid, (_, _, ds, withdrawn) in self.known.items()
                if rid not in present and not withdrawn and ds is not None]
        if not live:
            return
        if not present:
            self.job.errors = [*self.job.errors, (
                f"Sumber tidak mengembalikan satu dataset pun, padahal {len(live)} dataset darinya ada di portal; "
                "penarikan dilewati agar tidak ada yang hilang. Periksa URL dan filter sumber.")]
            return
        self.stage("withdraw")
        for rid, dataset_id in live:
            dataset = db.session.get(Dataset, dataset_id)
            record = db.session.scalar(select(HarvestRecord).where(HarvestRecord.source_id == self.source.id,
                                                                   HarvestRecord.remote_id == rid))
            if dataset is None or record is None:
                continue
            try:
                with db.session.begin_nested():
                    outcome = importer.withdraw(self.source, dataset, self.job.id)
                    record.withdrawn = True
                    record.last_job_id = self.job.id
            except DomainError as exc:
                self.log(rid, ObjectStatus.ERROR, dataset=dataset, message=exc.message)
                continue
            self.log(rid, ObjectStatus.WITHDRAWN, dataset=dataset, message=outcome.message)


@jobs.job
def run_harvest(job_id: int) -> str:
    """The job (queue ``harvest``): run harvest job ``job_id``; returns its final status."""
    job = db.session.get(HarvestJob, job_id)
    if job is None:
        return "missing"
    if job.status != JobStatus.QUEUED:
        return str(job.status)  # cancelled before it started, or run already
    now = utcnow()
    claimed = db.session.execute(update(HarvestJob).where(HarvestJob.id == job.id, HarvestJob.status == JobStatus.QUEUED)
                                 .values(status=JobStatus.RUNNING, started_at=now, heartbeat_at=now)
                                 .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        return "taken"  # cancelled or claimed by another worker meanwhile
    jobs.checkpoint()
    db.session.refresh(job)
    job.counts, job.errors = {}, list(job.errors or [])
    run: Run | None = None
    try:
        run = Run(job)
        config = services.load_config(job.source.type, job.source.config)
        ctx = HarvestContext(url=job.source.url, config=config, http=services.http_session(job.source.type),
                             since=_since(job, run.harvester, config),
                             settings=services.plugin_settings(job.source.type))
        with ctx.http, importer.lookups():
            run.run(ctx)
    except _Cancelled:
        db.session.rollback()  # the record in hand; everything before the last checkpoint stands
        job = db.session.get(HarvestJob, job_id)  # type: ignore[assignment]
        assert job is not None
        _finish(job, JobStatus.CANCELLED, "Dibatalkan; yang sudah dipanen sebelum pembatalan tetap tersimpan.")
        return str(job.status)
    except DomainError as exc:  # the source's type or config no longer loads
        job.errors = [*job.errors, exc.message]
    except jobs.JobTimeout:
        jobs.acknowledge_timeout()
        db.session.rollback()
        job = db.session.get(HarvestJob, job_id)  # type: ignore[assignment]
        assert job is not None
        _finish(job, JobStatus.FAILED, "Waktu panen habis (HARVEST_JOB_TIMEOUT); yang sudah tersimpan tetap ada, "
                                       "panen berikutnya melanjutkan.")
        jobs.checkpoint()
        raise
    except Exception:  # a bug must fail the job readably, not leave it "running"
        log.exception("harvest job %s crashed", job_id)
        db.session.rollback()
        job = db.session.get(HarvestJob, job_id)  # type: ignore[assignment]
        assert job is not None
        _finish(job, JobStatus.FAILED, "Kesalahan sistem saat memanen; pengelola portal dapat membaca log pekerja.")
        return str(job.status)
    if run is not None:
        job.counts = dict(run.counts)
        job.gathered = len(run.seen)
    if job.errors and (run is None or not run.seen):
        _finish(job, JobStatus.FAILED)
    elif job.errors or job.count("error"):
        _finish(job, JobStatus.FINISHED_WITH_ERRORS)
    else:
        _finish(job, JobStatus.FINISHED)
    _tell(job)
    return str(job.status)


INCREMENTAL_OVERLAP = timedelta(minutes=10)  # clocks differ; a record seen twice costs its hash


def _since(job: HarvestJob, harvester: Any, config: dict[str, Any]) -> Any:
    """Where an incremental run starts: the start of the source's last run that read its whole
    list, less an overlap; None (a full run) unless the source asks for incremental runs and its
    plug-in can list its ids (needed to learn what was deleted), or with no such run yet."""
    if not config.get("incremental") or not isinstance(harvester, ListsIds):
        return None
    last = db.session.scalar(select(HarvestJob).where(
        HarvestJob.source_id == job.source_id, HarvestJob.id != job.id, HarvestJob.gather_complete.is_(True),
        HarvestJob.status.in_((JobStatus.FINISHED, JobStatus.FINISHED_WITH_ERRORS)))
        .order_by(HarvestJob.id.desc()).limit(1))
    if last is None or last.started_at is None:
        return None
    return last.started_at - INCREMENTAL_OVERLAP


def _tell(job: HarvestJob) -> None:
    """One message per run to the walidata over the source (never one per record): a failed run,
    or, in publish mode ``review``, how many datasets wait in their queue."""
    from satudata.accounts import services as accounts
    from satudata.harvest.models import PublishMode
    from satudata.review.notify import reviewers_over
    from satudata.review.regions import walidata_of

    source = job.source
    # Records that made datasets (a SIPD record may fill only the Daftar Data).
    made = dict(db.session.execute(  # type: ignore[arg-type]
        select(HarvestObject.status, func.count()).where(
            HarvestObject.job_id == job.id, HarvestObject.dataset_id.is_not(None),
            HarvestObject.status.in_((ObjectStatus.NEW, ObjectStatus.UPDATED))).group_by(HarvestObject.status)).all())
    new, changed = int(made.get(ObjectStatus.NEW, 0)), int(made.get(ObjectStatus.UPDATED, 0))
    waiting = new + changed
    if job.status == JobStatus.FAILED:
        title = f"Panen {source.title} gagal"
        body = " ".join(job.errors or []) or "Baca rinciannya di halaman panen."
    elif source.publish_mode == PublishMode.REVIEW and waiting:
        title = f"Panen {source.title}: {waiting} dataset menunggu pemeriksaan"
        body = f"{new} baru dan {changed} berubah dari {source.url} masuk antrean pemeriksaan walidata."
    else:
        return
    users = reviewers_over(source.organization)
    custodian = walidata_of(source.organization)  # a walidata organisation beside the OPD, not above it
    if custodian is not None:
        users += reviewers_over(custodian)
    if users:
        url = str(current_app.url_map.bind("localhost").build("harvest.job", {"job_id": job.id}))
        accounts.notify(users, kind="harvest.job", title=title, body=body, url=url, mail=True)


def _finish(job: HarvestJob, status: JobStatus, error: str | None = None) -> None:
    job.status = status
    job.stage = None
    job.finished_at = utcnow()
    if job.started_at is None:
        job.started_at = job.finished_at
    if error:
        job.errors = [*(job.errors or []), error]


@jobs.job
def sweep() -> dict[str, int]:
    """Periodic: fail runs whose worker died (no heartbeat for ``STALE_AFTER`` seconds, or RQ
    says their job failed or is gone), enqueue again runs RQ lost before they started, and
    start the runs scheduled sources are due."""
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    now = utcnow()
    stale = timedelta(seconds=int(current_app.config.get("HARVEST_STALE_AFTER") or STALE_AFTER))
    failed = requeued = started = 0
    connection = jobs.get_redis()
    for job in db.session.scalars(select(HarvestJob).where(HarvestJob.status.in_((JobStatus.QUEUED, JobStatus.RUNNING)))):
        try:
            rq_status = Job.fetch(services.rq_job_id(job), connection=connection).get_status(refresh=True)
        except NoSuchJobError:
            rq_status = None
        rq_state = str(getattr(rq_status, "value", rq_status)) if rq_status is not None else None
        dead = rq_state in ("failed", "stopped", "canceled")
        if job.status == JobStatus.RUNNING:
            beat = job.heartbeat_at or job.started_at or job.created_at
            # RQ's own word wins: a job it calls started is alive (its timeout bounds it), one it
            # failed, stopped or lost is not; with no word, a stale heartbeat decides.
            if dead or (rq_state != "started" and (now - beat > stale or (
                    rq_state is None and now - beat > timedelta(seconds=120)))):
                _finish(job, JobStatus.FAILED, "Pekerja berhenti di tengah panen (dimulai ulang atau mati). Yang sudah "
                                               "tersimpan tetap ada; panen berikutnya berjalan seperti biasa.")
                failed += 1
        elif dead:  # it died before the run began (the run's first commit never came)
            _finish(job, JobStatus.FAILED, "Pekerja gagal memulai panen ini; jalankan lagi.")
            failed += 1
        elif rq_state is None and now - job.created_at > timedelta(seconds=60):
            services.enqueue_run(job)  # lost before it started (Redis flushed, enqueue failed)
            requeued += 1
    for source in db.session.scalars(select(HarvestSource).where(HarvestSource.active.is_(True))):
        due = services.DUE_AFTER.get(source.schedule)
        if due is None or services.active_job(source) is not None:
            continue
        last = db.session.get(HarvestJob, source.last_job_id) if source.last_job_id else None
        if last is None or now - last.created_at >= due:
            services.request_run(SCHEDULER, source, trigger="schedule")
            started += 1
    return {"failed": failed, "requeued": requeued, "started": started}
