"""The regional data-standards library: the Table Schemas in ``schemas/``.

A schema is named by its file name without ``.json`` (``penduduk_kecamatan_jenis_kelamin``).
The folder defaults to ``schemas/`` at the root of the project; an app may point
``SCHEMAS_PATH`` elsewhere (callers pass it in, this module reads no configuration).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMAS_DIR = Path(__file__).resolve().parents[2] / "schemas"
NAME = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")


class SchemaNotFound(LookupError):
    """No schema of that name in the library, or no such file."""


@dataclass(frozen=True)
class StandardSchema:
    """One schema of the library, with what a picker needs to show."""

    name: str
    title: str
    description: str
    path: Path
    descriptor: dict[str, Any]


def schema_dir(directory: str | Path | None = None) -> Path:
    return Path(directory) if directory else SCHEMAS_DIR


def list_schemas(directory: str | Path | None = None) -> list[StandardSchema]:
    """Every schema of the library, by name."""
    folder = schema_dir(directory)
    result = []
    for path in sorted(folder.glob("*.json")):
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        result.append(StandardSchema(
            name=path.stem, title=str(descriptor.get("title", path.stem)),
            description=str(descriptor.get("description", "")), path=path, descriptor=descriptor,
        ))
    return result


def load_schema(name_or_path: str | Path, directory: str | Path | None = None) -> dict[str, Any]:
    """A Table Schema descriptor: a library name (``sekolah``) or a path to a JSON file.

    Raises :class:`SchemaNotFound` when neither exists, ``ValueError`` when the file is not JSON.
    """
    text = str(name_or_path)
    candidates = []
    if NAME.match(text):
        candidates.append(schema_dir(directory) / f"{text}.json")
    candidates.append(Path(text))
    for path in candidates:
        if path.is_file():
            try:
                descriptor = json.loads(path.read_text(encoding="utf-8-sig"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise ValueError(f"{path.name} bukan berkas JSON yang sah: {exc}") from exc
            if not isinstance(descriptor, dict):
                raise ValueError(f"{path.name} harus berisi objek JSON (Table Schema).")
            return descriptor
    names = ", ".join(s.name for s in list_schemas(directory))
    raise SchemaNotFound(f'Table Schema "{text}" tidak ditemukan. Skema standar yang tersedia: {names}.')
