"""What the rest of the portal asks of harvesting: sources (add, change, list), runs (request,
cancel, a dry run), and reading jobs, their objects and the raw records.

Every change starts with ``require`` (walidata of the source's region, admins; the CLI and the
scheduler as a ``SystemActor``) and is written to the audit log.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from harvesters.base import HarvestContext, Harvester, HarvestError, content_hash, discover
from harvesters.http import FetchError, GuardedSession
from satudata import jobs
from satudata.accounts.models import Organization
from satudata.accounts.services import audit
from satudata.authz import Actor, Permission, actor_label, can, require
from satudata.db import utcnow
from satudata.errors import Conflict, Invalid, NotFound
from satudata.extensions import db
from satudata.harvest.models import (
    ACTIVE_STATUSES,
    HarvestJob,
    HarvestObject,
    HarvestRecord,
    HarvestSource,
    JobStatus,
    ObjectStatus,
    PublishMode,
    Schedule,
)

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{1,99}$")
DRY_RUN_RECORDS = 5
DUE_AFTER = {Schedule.DAILY: timedelta(days=1), Schedule.WEEKLY: timedelta(days=7)}


# --------------------------------------------------------------------------- plug-ins


@functools.cache
def plugins() -> dict[str, type[Harvester]]:
    """The installed harvester plug-ins by type name (the ``satudata.harvesters`` entry points)."""
    return discover()


def plugin(kind: str) -> Harvester:
    found = plugins().get(kind)
    if found is None:
        known = ", ".join(sorted(plugins())) or "-"
        raise Invalid(f'Jenis sumber "{kind[:50]}" tidak dikenal; pilih salah satu: {known}.',
                      details={"type": [f"Pilih salah satu: {known}."]})
    return found()


def _check_map(actor: Actor, config: dict[str, Any]) -> None:
    """Every organisation a source's ``organization_map`` names must exist and be the actor's to
    manage: a map is no way into another region's catalogue."""
    for remote, slug in sorted((config.get("organization_map") or {}).items()):
        org = db.session.scalar(select(Organization).where(Organization.slug == slug))
        if org is None:
            raise Invalid(f'Pemetaan organisasi: "{slug}" (untuk "{remote}") tidak ada di portal ini.',
                          details={"config": [f'organization_map: "{slug}" tidak ada.']})
        if not can(actor, Permission.HARVEST_SOURCE_MANAGE, org):
            raise Invalid(f'Pemetaan organisasi: "{slug}" berada di luar wilayah Anda.',
                          details={"config": [f'organization_map: "{slug}" di luar wilayah Anda.']})


def load_config(kind: str, raw: Any) -> dict[str, Any]:
    """``raw`` checked by the plug-in's own marshmallow schema; ``Invalid`` naming each problem."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise Invalid("Konfigurasi harus berupa objek JSON.", details={"config": ["Harus berupa objek JSON."]})
    schema = plugin(kind).config_schema()
    try:
        loaded = schema.load(raw)
    except ValidationError as exc:
        problems = [f"{key}: {' '.join(map(str, msgs)) if isinstance(msgs, list) else msgs}"
                    for key, msgs in sorted(exc.normalized_messages().items())]
        raise Invalid("Konfigurasi sumber tidak valid: " + "; ".join(problems),
                      details={"config": problems}) from exc
    return dict(schema.dump(loaded))


def http_session(kind: str | None = None) -> GuardedSession:
    """The guarded session of a run; a plug-in type's own ``<TYPE>_HTTP_TIMEOUT`` (SIPD answers
    slowly) overrides ``HARVEST_HTTP_TIMEOUT``."""
    from flask import current_app

    config = current_app.config
    timeout = config.get(f"{kind.upper()}_HTTP_TIMEOUT") if kind else None
    return GuardedSession(allow_private=bool(config.get("HARVEST_ALLOW_PRIVATE_NETWORKS")),
                          timeout=float(timeout or config.get("HARVEST_HTTP_TIMEOUT") or 30),
                          max_bytes=int(config.get("HARVEST_MAX_RESPONSE_BYTES") or 50 * 1024 * 1024))


def plugin_settings(kind: str) -> dict[str, Any]:
    """The operator's settings plug-in type ``kind`` names in its ``settings_keys``
    (``SATUDATA_SIPD_TOKEN`` → ``token``): handed to the plug-in in its context for each run, never stored with a source."""
    from flask import current_app

    cls = plugins().get(kind)
    prefix = f"{kind.upper()}_"
    return {key.lower(): current_app.config.get(prefix + key) for key in getattr(cls, "settings_keys", ())
            if current_app.config.get(prefix + key) not in (None, "")}


def default_publish_mode(kind: str) -> str:
    """The publish mode a new source of type ``kind`` starts with: the plug-in's own default
    (``sipd``: review), else direct."""
    cls = plugins().get(kind)
    return str(getattr(cls, "default_publish_mode", PublishMode.DIRECT.value))


# --------------------------------------------------------------------------- sources


def _check_url(url: str, kind: str | None = None) -> str:
    """``url`` as a source's address; a plug-in with a ``check_url`` (``sipd``: its token goes
    only to SIPD's hosts) says too whether a source of its type may have it."""
    from flask import current_app

    url = (url or "").strip()
    if not re.match(r"^https?://[^\s/]+", url, re.I) or len(url) > 1000:
        raise Invalid("URL sumber harus diawali http:// atau https://.", details={"url": ["URL tidak valid."]})
    cls = plugins().get(kind or "")
    check = getattr(cls(), "check_url", None) if cls is not None else None
    if kind and check is not None:
        problem = check(url, plugin_settings(kind),
                        allow_private=bool(current_app.config.get("HARVEST_ALLOW_PRIVATE_NETWORKS")))
        if problem:
            raise Invalid(problem, details={"url": ["Bukan alamat yang diizinkan untuk sumber jenis ini; lihat pesan "
                                                    "di atas."]})
    return url


def _organization(org: Organization | str) -> Organization:
    if isinstance(org, Organization):
        return org
    found = db.session.scalar(select(Organization).where(Organization.slug == org))
    if found is None:
        raise Invalid(f'Organisasi "{str(org)[:100]}" tidak ada.', details={"organization": ["Organisasi tidak ada."]})
    return found


def add_source(actor: Actor, *, name: str, type: str, url: str, organization: Organization | str,
               title: str | None = None, config: Any = None, schedule: str = Schedule.MANUAL,
               publish_mode: str | None = None, active: bool = True) -> HarvestSource:
    """A new harvest source; ``Invalid`` names what is wrong, ``Conflict`` a name in use. Without
    a ``publish_mode``, the plug-in's default (:func:`default_publish_mode`)."""
    org = _organization(organization)
    require(actor, Permission.HARVEST_SOURCE_MANAGE, org)
    if publish_mode is None:
        publish_mode = default_publish_mode(type)
    name = (name or "").strip().lower()
    if not NAME_PATTERN.match(name):
        raise Invalid("Nama sumber: 2–100 huruf kecil, angka, - atau _ (contoh: ckan-riau).",
                      details={"name": ["Huruf kecil, angka, - atau _."]})
    if db.session.scalar(select(func.count()).select_from(HarvestSource).where(HarvestSource.name == name)):
        raise Conflict(f'Sumber bernama "{name}" sudah ada.', details={"name": ["Nama sudah dipakai."]})
    loaded = load_config(type, config)
    _check_map(actor, loaded)
    source = HarvestSource(name=name, title=(title or "").strip()[:300] or name, type=type, url=_check_url(url, type),
                           config=loaded, organization=org, schedule=_schedule(schedule),
                           publish_mode=_mode(publish_mode), active=bool(active))
    db.session.add(source)
    db.session.flush()
    audit(actor, "harvest_source.create", "harvest_source", source.id,
          {"name": name, "type": type, "url": source.url, "organization": org.slug})
    return source


def _schedule(value: str) -> Schedule:
    try:
        return Schedule(value)
    except ValueError:
        raise Invalid("Jadwal: manual, daily atau weekly.", details={"schedule": ["Pilih manual, daily atau weekly."]}) from None


def _mode(value: str) -> PublishMode:
    try:
        return PublishMode(value)
    except ValueError:
        raise Invalid("Mode terbit: direct atau review.", details={"publish_mode": ["Pilih direct atau review."]}) from None


def update_source(actor: Actor, source: HarvestSource, changes: dict[str, Any]) -> list[str]:
    """Change a source (title, url, config, schedule, publish_mode, active, organization)."""
    require(actor, Permission.HARVEST_SOURCE_MANAGE, source.organization)
    changed = []
    for key, value in changes.items():
        if key == "url":
            value = _check_url(value, source.type)
        elif key == "config":
            value = load_config(source.type, value)
            _check_map(actor, value)
        elif key == "schedule":
            value = _schedule(value)
        elif key == "publish_mode":
            value = _mode(value)
        elif key == "organization":
            value = _organization(value)
            require(actor, Permission.HARVEST_SOURCE_MANAGE, value)
        elif key == "title":
            value = str(value or "").strip()[:300] or source.name
        elif key == "active":
            value = bool(value)
        else:
            raise Invalid(f'Kolom "{key[:50]}" tidak dapat diubah.', details={key: ["Tidak dapat diubah."]})
        if getattr(source, key) != value:
            setattr(source, key, value)
            changed.append(key)
    if changed:
        db.session.flush()
        audit(actor, "harvest_source.update", "harvest_source", source.id, {"fields": changed})
    return changed


def get_source(key: str | int) -> HarvestSource:
    source = None
    if isinstance(key, int) or str(key).isdigit():
        source = db.session.get(HarvestSource, int(key))
    if source is None:
        source = db.session.scalar(select(HarvestSource).where(HarvestSource.name == str(key)))
    if source is None:
        raise NotFound(f'Sumber harvest "{str(key)[:100]}" tidak ada.')
    return source


@dataclass
class SourceRow:
    source: HarvestSource
    last_job: HarvestJob | None
    datasets: int


def list_sources(actor: Actor | None = None) -> list[SourceRow]:
    """Every source (those the actor manages, when given) with its last run and dataset count,
    in three queries whatever the number of sources."""
    from satudata.catalog.models import Dataset

    sources = list(db.session.scalars(select(HarvestSource).order_by(HarvestSource.name)))
    if actor is not None:
        sources = [s for s in sources if can(actor, Permission.HARVEST_SOURCE_MANAGE, s.organization)]
    ids = [s.last_job_id for s in sources if s.last_job_id]
    last = {j.id: j for j in db.session.scalars(select(HarvestJob).where(HarvestJob.id.in_(ids)))} if ids else {}
    counts = dict(db.session.execute(  # type: ignore[arg-type]
        select(Dataset.harvest_source_id, func.count()).where(Dataset.harvest_source_id.is_not(None),
                                                              Dataset.revision_of_id.is_(None))
        .group_by(Dataset.harvest_source_id)).all())
    return [SourceRow(s, last.get(s.last_job_id or -1), int(counts.get(s.id, 0))) for s in sources]


def dataset_count(source: HarvestSource) -> int:
    """How many datasets (not revisions) ``source`` brought in."""
    from satudata.catalog.models import Dataset

    return int(db.session.scalar(select(func.count()).select_from(Dataset).where(
        Dataset.harvest_source_id == source.id, Dataset.revision_of_id.is_(None))) or 0)


# --------------------------------------------------------------------------- runs


def rq_job_id(job: HarvestJob) -> str:
    """The RQ job's id: one per harvest job, so it is never enqueued twice and the sweep can ask RQ about it."""
    return f"satudata-harvest-{job.id}"


def active_job(source: HarvestSource) -> HarvestJob | None:
    return db.session.scalar(select(HarvestJob).where(HarvestJob.source_id == source.id,
                                                      HarvestJob.status.in_(ACTIVE_STATUSES))
                             .order_by(HarvestJob.id.desc()).limit(1))


def request_run(actor: Actor, source: HarvestSource, *, trigger: str = "manual") -> HarvestJob:
    """Queue a run of ``source`` (on the ``harvest`` queue, after commit). ``Conflict`` while
    one is queued or running: at most one per source."""
    require(actor, Permission.HARVEST_SOURCE_MANAGE, source.organization)
    # Lock the source row: two clicks at once make one job, not two.
    db.session.execute(select(HarvestSource.id).where(HarvestSource.id == source.id).with_for_update())
    running = active_job(source)
    if running is not None:
        raise Conflict(f"Panen #{running.id} sumber ini masih {_status_label(running.status)}; tunggu sampai "
                       "selesai atau batalkan dulu.", details={"job": [str(running.id)]})
    if not source.active:
        raise Conflict("Sumber ini nonaktif; aktifkan dulu untuk memanen.")
    job = HarvestJob(source=source, status=JobStatus.QUEUED, trigger=trigger, requested_by=actor_label(actor),
                     counts={}, errors=[])
    try:
        with db.session.begin_nested():
            db.session.add(job)
            db.session.flush()
    except IntegrityError:  # another request queued one at the same moment (uq_harvest_job_active_source)
        raise Conflict("Panen sumber ini baru saja diminta dari tempat lain; tunggu sampai selesai.") from None
    source.last_job_id = job.id
    enqueue_run(job)
    audit(actor, "harvest_job.create", "harvest_job", job.id, {"source": source.name, "trigger": trigger})
    return job


def enqueue_run(job: HarvestJob) -> None:
    from flask import current_app

    jobs.enqueue("satudata.harvest.tasks.run_harvest", job.id, queue="harvest",
                 job_timeout=int(current_app.config.get("HARVEST_JOB_TIMEOUT") or 6 * 3600),
                 job_id=rq_job_id(job))


def _status_label(status: JobStatus) -> str:
    return {JobStatus.QUEUED: "antre", JobStatus.RUNNING: "berjalan"}.get(status, str(status))


def cancel_job(actor: Actor, job: HarvestJob) -> HarvestJob:
    """Cancel a queued run now, or ask a running one to stop (it stops after the record it is on)."""
    require(actor, Permission.HARVEST_SOURCE_MANAGE, job.source.organization)
    if not job.is_active:
        raise Conflict(f"Panen #{job.id} sudah selesai ({job.status}); tidak ada yang dibatalkan.")
    if job.status == JobStatus.QUEUED:
        job.status = JobStatus.CANCELLED
        job.finished_at = utcnow()
        job.errors = [*(job.errors or []), "Dibatalkan sebelum mulai."]
    else:
        job.cancel_requested = True
    db.session.flush()
    audit(actor, "harvest_job.cancel", "harvest_job", job.id, {"source": job.source.name})
    return job


def get_job(job_id: int | str) -> HarvestJob:
    job = db.session.get(HarvestJob, int(job_id)) if str(job_id).isdigit() else None
    if job is None:
        raise NotFound(f"Panen #{str(job_id)[:20]} tidak ada.")
    return job


def list_jobs(source: HarvestSource, *, limit: int = 50, offset: int = 0) -> list[HarvestJob]:
    return list(db.session.scalars(select(HarvestJob).where(HarvestJob.source_id == source.id)
                                   .order_by(HarvestJob.id.desc()).offset(offset).limit(limit)))


def count_jobs(source: HarvestSource) -> int:
    return int(db.session.scalar(select(func.count()).select_from(HarvestJob)
                                 .where(HarvestJob.source_id == source.id)) or 0)


def list_objects(job: HarvestJob, *, status: str | None = None, limit: int = 100, offset: int = 0
                 ) -> tuple[list[HarvestObject], int]:
    """A page of the run's objects (optionally of one status) and how many there are."""
    q = select(HarvestObject).where(HarvestObject.job_id == job.id)
    if status:
        try:
            q = q.where(HarvestObject.status == ObjectStatus(status))
        except ValueError:
            raise Invalid(f'Status "{status[:30]}" tidak dikenal.', details={"status": ["Status tidak dikenal."]}) from None
    total = int(db.session.scalar(select(func.count()).select_from(q.subquery())) or 0)
    rows = list(db.session.scalars(q.order_by(HarvestObject.id).offset(offset).limit(limit)))
    return rows, total


def record_of(dataset_id: str) -> HarvestRecord | None:
    """The raw harvested record behind a dataset, as last harvested."""
    return db.session.scalar(select(HarvestRecord).where(HarvestRecord.dataset_id == dataset_id).limit(1))


def source_of(dataset: Any) -> HarvestSource | None:
    if dataset is None or dataset.harvest_source_id is None:
        return None
    return db.session.get(HarvestSource, dataset.harvest_source_id)


def job_summary(job: HarvestJob) -> dict[str, Any]:
    """The CLI's ``--json`` object (a contract): status is ``finished`` or ``failed``."""
    ok = job.status in (JobStatus.FINISHED, JobStatus.FINISHED_WITH_ERRORS)
    errors = list(job.errors or [])
    if job.status == JobStatus.CANCELLED and not any("Dibatalkan" in e for e in errors):
        errors.append("Dibatalkan.")
    errors += [f"{o.remote_id}: {o.message}" for o in db.session.scalars(
        select(HarvestObject).where(HarvestObject.job_id == job.id, HarvestObject.status == ObjectStatus.ERROR)
        .order_by(HarvestObject.id))]
    return {"job": job.id, "status": "finished" if ok else "failed", "seconds": job.seconds or 0.0,
            "counts": job.all_counts(),
            "errors": errors}


# --------------------------------------------------------------------------- dry run


def dry_run(kind: str, url: str, config: Any, *, limit: int = DRY_RUN_RECORDS,
            source: HarvestSource | None = None) -> dict[str, Any]:
    """Gather and map the first ``limit`` records of a source (new or saved) and say what a run
    would do with each; writes nothing. Errors are in the answer, not raised."""
    harvester = plugin(kind)
    ctx = HarvestContext(url=_check_url(url, kind), config=load_config(kind, config), http=http_session(kind),
                         page_size=max(limit, 1), settings=plugin_settings(kind))
    known: dict[str, str | None] = {}
    if source is not None:
        known = dict(db.session.execute(select(HarvestRecord.remote_id, HarvestRecord.content_hash)  # type: ignore[arg-type]
                                        .where(HarvestRecord.source_id == source.id)).all())
    records: list[dict[str, Any]] = []
    errors: list[str] = []
    try:
        with ctx.http:
            for item in harvester.gather(ctx):
                if len(records) >= limit:
                    break
                entry: dict[str, Any] = {"remote_id": item.remote_id}
                try:
                    raw = harvester.fetch(ctx, item)
                    remote = harvester.map(ctx, raw)
                    digest = content_hash(raw)
                    entry.update(title=remote.title, resources=len(remote.resources) + (1 if remote.table else 0),
                             tags=remote.tags[:10],
                                 organization=(remote.organization or {}).get("title"),
                                 action="unchanged" if known.get(item.remote_id) == digest
                                 else "updated" if item.remote_id in known else "new")
                except (HarvestError, FetchError) as exc:
                    entry.update(action="error", error=exc.message)
                records.append(entry)
    except (HarvestError, FetchError) as exc:
        errors.append(exc.message)
    return {"records": records, "errors": errors}
