"""Content-addressed file storage.

Files live under ``STORAGE_PATH`` as ``ab/cd/<sha256>``, so identical uploads are stored once
and any number of rows (resources, their earlier files, published versions) share one file.

- **Stage, check, keep.** An upload is first written to a private temporary file while it is
  hashed (:meth:`FileStore.stage`); the caller checks it there, and only a file it accepts is
  moved into its shared place (:meth:`FileStore.keep`). A refused upload is removed from its
  private place and never touches the shared one, so it cannot take away a file another
  request holds, or is about to commit, under the same digest. A crash never leaves a
  half-written file under a real name.
- **Never delete on a request.** Whether a shared file is still needed is only known once
  every request that may refer to it has committed, so nothing is deleted at upload time: the
  periodic :func:`sweep_files` job removes files no row refers to once they are older than
  ``STORAGE_SWEEP_GRACE``. Keeping a file that is already stored refreshes its modification
  time, so a file uploaded again is young again; the sweep moves a file aside before it
  deletes it and puts it back if it was kept meanwhile (see :meth:`FileStore.sweep`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app

from satudata.errors import Invalid

CHUNK = 1024 * 1024
TMP_DIR = "tmp"  # uploads being written and checked
TRASH_DIR = "trash"  # files the sweep is about to delete
_DIGEST = re.compile(r"[0-9a-f]{64}")

log = logging.getLogger(__name__)


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int


@dataclass(frozen=True)
class StagedFile:
    """An upload written to a private temporary file and hashed, not yet in the store."""

    path: Path
    sha256: str
    size: int


class FileTooLarge(Invalid):
    pass


class FileStore:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    # ------------------------------------------------------------------- writing

    def stage(self, stream: Readable, max_bytes: int | None = None) -> StagedFile:
        """Write ``stream`` to a private temporary file, hashing it; refuse (and keep nothing)
        past ``max_bytes``. The caller keeps or discards it."""
        tmp_dir = self.root / TMP_DIR
        tmp_dir.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=tmp_dir)
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        limit = f"{max_bytes / (1024 * 1024):.0f} MB" if max_bytes >= 1024 * 1024 \
                            else f"{max_bytes} byte"
                        message = (f"Berkas melebihi batas unggahan {limit}. Pecah menjadi beberapa berkas, "
                                   "atau simpan sebagai CSV (biasanya jauh lebih kecil dari XLSX).")
                        raise FileTooLarge(message, details={"file": [message]})
                    digest.update(chunk)
                    out.write(chunk)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        return StagedFile(path=Path(tmp_name), sha256=digest.hexdigest(), size=size)

    def keep(self, staged: StagedFile) -> StoredFile:
        """Move a staged file into its shared place. When that digest is stored already, its
        copy is touched instead (a fresh modification time keeps the sweep off it); if the
        sweep took it away at that very moment, this copy takes its place."""
        final = self.path(staged.sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.utime(final)
        except FileNotFoundError:
            os.replace(staged.path, final)
        else:
            staged.path.unlink(missing_ok=True)
        return StoredFile(sha256=staged.sha256, size=staged.size)

    @staticmethod
    def discard(staged: StagedFile) -> None:
        staged.path.unlink(missing_ok=True)

    @contextmanager
    def staging(self, stream: Readable, max_bytes: int | None = None) -> Iterator[StagedFile]:
        """:meth:`stage` for a ``with`` block: whatever the block did not :meth:`keep` is
        removed when it ends, also when it raises."""
        staged = self.stage(stream, max_bytes)
        try:
            yield staged
        finally:
            self.discard(staged)

    def put(self, stream: Readable, max_bytes: int | None = None) -> StoredFile:
        """Store ``stream`` as it is (no check in between)."""
        with self.staging(stream, max_bytes) as staged:
            return self.keep(staged)

    def put_bytes(self, data: bytes) -> StoredFile:
        import io

        return self.put(io.BytesIO(data))

    # ------------------------------------------------------------------- reading

    def open(self, sha256: str) -> BinaryIO:
        return self.path(sha256).open("rb")

    def iter_chunks(self, sha256: str) -> Iterator[bytes]:
        with self.open(sha256) as fh:
            while chunk := fh.read(CHUNK):
                yield chunk

    # ------------------------------------------------------------------- sweeping

    def stored(self) -> Iterator[Path]:
        """Every stored file (not the temporary, trash or export folders)."""
        for path in self.root.glob("??/??/*"):
            name = path.name
            if _DIGEST.fullmatch(name) and path.parent.name == name[2:4] and path.parent.parent.name == name[:2]:
                yield path

    def sweep(self, referenced: Callable[[list[str]], set[str]], grace: float, *, batch: int = 500) -> int:
        """Delete stored files older than ``grace`` seconds that ``referenced`` (given a batch
        of digests, answers those still referred to) does not name; also temporary files of
        uploads abandoned that long ago. Returns how many stored files were deleted.

        Safe beside requests that store files meanwhile: a request keeps its file (touching it
        or putting it in place) before it commits a row that refers to it. A candidate is moved
        aside, then deleted only if it was not touched since it was listed; a request that kept
        it before the move made it young (it is put back), one that keeps it after the move
        finds it gone and puts its own copy in place.
        """
        cutoff = time.time() - grace
        self._restore_trash()
        removed = 0
        candidates: list[str] = []
        for path in self.stored():
            if _mtime(path) < cutoff:
                candidates.append(path.name)
            if len(candidates) >= batch:
                removed += self._remove_unreferenced(candidates, referenced, cutoff)
                candidates = []
        if candidates:
            removed += self._remove_unreferenced(candidates, referenced, cutoff)
        for tmp in (self.root / TMP_DIR).glob("*"):
            if tmp.is_file() and _mtime(tmp) < cutoff:
                tmp.unlink(missing_ok=True)
        return removed

    def _remove_unreferenced(self, digests: list[str], referenced: Callable[[list[str]], set[str]],
                             cutoff: float) -> int:
        used = referenced(digests)
        trash = self.root / TRASH_DIR
        trash.mkdir(parents=True, exist_ok=True)
        removed = 0
        for sha in digests:
            if sha in used:
                continue
            final, aside = self.path(sha), trash / sha
            try:
                os.replace(final, aside)
            except FileNotFoundError:
                continue
            if _mtime(aside) >= cutoff:  # kept again since it was listed: it stays
                os.replace(aside, final)
                continue
            aside.unlink(missing_ok=True)
            removed += 1
        return removed

    def _restore_trash(self) -> None:
        """Put back what a sweep that stopped half-way had moved aside (this sweep judges it
        again)."""
        trash = self.root / TRASH_DIR
        for aside in trash.glob("*") if trash.is_dir() else ():
            if not _DIGEST.fullmatch(aside.name):
                continue
            final = self.path(aside.name)
            if final.exists():
                aside.unlink(missing_ok=True)
            else:
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(aside, final)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return float("inf")  # gone already: nothing to do


def get_store() -> FileStore:
    return FileStore(current_app.config["STORAGE_PATH"])


def referenced_files(digests: Iterable[str]) -> set[str]:
    """Which of ``digests`` a row still refers to: any table with a ``sha256`` column
    (resources, their earlier files, validation runs, ...) or a published version's snapshot."""
    from sqlalchemy import select

    from satudata.catalog.models import DatasetVersion
    from satudata.extensions import db

    wanted = set(digests)
    found: set[str] = set()
    for table in db.metadata.sorted_tables:
        if "sha256" in table.c:
            found.update(db.session.scalars(select(table.c.sha256).where(table.c.sha256.in_(wanted))))
    for snapshot in db.session.scalars(select(DatasetVersion.snapshot)):
        for resource in (snapshot or {}).get("resources") or []:
            if isinstance(resource, dict) and resource.get("sha256") in wanted:
                found.add(resource["sha256"])
    return found


def sweep_files() -> int:
    """The periodic job (``jobs.PERIODIC``): delete stored files that no row refers to and that
    are older than ``STORAGE_SWEEP_GRACE`` seconds (refused or abandoned uploads, files of
    deleted resources). Returns how many were deleted."""
    from satudata.extensions import db

    try:
        removed = get_store().sweep(referenced_files, float(current_app.config["STORAGE_SWEEP_GRACE"]))
    finally:
        db.session.rollback()  # read-only: end the transaction
    if removed:
        log.info("storage sweep deleted %d unreferenced files", removed)
    return removed
