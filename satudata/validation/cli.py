"""``satudata validate FILE`` and ``satudata infer FILE``: tables offline, without the portal
running (neither builds the web application).

    satudata validate penduduk.csv --schema penduduk_kecamatan_jenis_kelamin
    satudata validate laporan.xlsx --schema ./skema.json --sheet 2 --json > laporan.json
    satudata infer penduduk.csv --json > penduduk.resource.json
    satudata validate penduduk-baru.csv --resource penduduk.resource.json

``infer`` prints a frictionless Resource descriptor (encoding, dialect with delimiter and header
rows, the inferred Table Schema: numbers written "34.645" read as thousands); ``validate
--resource`` validates with that descriptor's dialect and schema, as ``frictionless validate``
would with it.

Exit status: 0 valid, 1 invalid, 2 the file or the schema cannot be used (the message says why).
A progress bar (on stderr) shows the rows read of a big file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

PROGRESS_MIN_BYTES = 5 * 1024 * 1024
SHOWN_ERRORS = 20


def _config(key: str, default: Any) -> Any:
    """A setting from the environment (``SATUDATA_<KEY>``) or its default: these commands run
    without the application (``satudata.cli.main``)."""
    from satudata.config import setting

    value = setting(key)
    return default if value is None else value


@click.command("validate")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--schema", "schema", metavar="NAME|PATH",
              help="Skema standar dari schemas/ (nama berkas tanpa .json) atau path ke Table Schema JSON. "
                   "Tanpa --schema, skema ditebak dari isi berkas.")
@click.option("--format", "fmt", type=click.Choice(["csv", "tsv", "xlsx", "json"]), default=None,
              help="Format berkas (default: dari nama berkas atau isinya).")
@click.option("--sheet", default=None, help="Lembar XLSX: nama atau nomor (default: lembar pertama).")
@click.option("--json", "as_json", is_flag=True, help="Cetak laporan lengkap (frictionless) sebagai JSON.")
@click.option("--engine", type=click.Choice(["auto", "frictionless"]), default=None,
              help="auto: jalur cepat, frictionless bila perlu (default); frictionless: selalu frictionless.")
@click.option("--resource", "resource_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              metavar="DESCRIPTOR.json",
              help="Deskriptor Resource frictionless (dari 'satudata infer --json'): dialek, enkode dan Table "
                   "Schema-nya dipakai. Tidak bersama --schema.")
def validate_command(file: Path, schema: str | None, fmt: str | None, sheet: str | None, as_json: bool,
                     engine: str | None, resource_path: Path | None) -> None:
    """Periksa tabel FILE (CSV, TSV, XLSX, JSON) terhadap Table Schema."""
    from satudata.tabular.schema import UnusableInput
    from satudata.validation.engine import validate_table_detailed

    engine = engine or _config("VALIDATION_ENGINE", "auto")
    layout: dict[str, Any] | None = None
    schema_arg: Any = schema
    if resource_path is not None:
        if schema:
            click.echo("Pilih salah satu: --schema atau --resource, tidak keduanya.", err=True)
            sys.exit(2)
        layout = _read_resource(resource_path)
        schema_arg = layout.get("schema")
        fmt = fmt or (str(layout["format"]) if layout.get("format") else None)
    bar: Any = None
    done = 0

    def progress(rows: int, bytes_done: int, bytes_total: int) -> None:
        # Sized by what is read (for XLSX and JSON, the converted table), shown on big files.
        nonlocal bar, done
        if bar is None and bytes_total >= PROGRESS_MIN_BYTES:
            bar = click.progressbar(length=bytes_total, label="Memeriksa", file=sys.stderr, show_pos=False,
                                    show_percent=True)
            bar.__enter__()
        if bar is not None and bytes_done > done:
            step = min(bytes_done, bytes_total) - done
            bar.update(step)
            done += step

    try:
        outcome = validate_table_detailed(
            file, schema_arg, fmt=fmt, engine=engine, progress=progress,  # type: ignore[arg-type]
            sheet=sheet, schemas_dir=_config("SCHEMAS_PATH", None), layout=layout,
        )
    except UnusableInput as exc:
        _close(bar)
        click.echo(f"Tidak dapat divalidasi: {exc.message}", err=True)
        sys.exit(2)
    except Exception as exc:  # an engine failure is not a verdict on the table
        _close(bar)
        click.echo(f"Validasi gagal karena kesalahan sistem: {type(exc).__name__}: {exc}", err=True)
        sys.exit(2)
    _close(bar)
    report = outcome.report
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print_summary(file, schema or (str(resource_path) if resource_path else None), outcome,
                       _numbers(schema_arg))
    sys.exit(0 if outcome.valid else 1)


def _read_resource(path: Path) -> dict[str, Any]:
    """A Resource descriptor from a JSON file; exits with status 2 and a message otherwise."""
    try:
        value = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeError, json.JSONDecodeError) as exc:
        click.echo(f"Deskriptor {path.name} tidak dapat dibaca sebagai JSON: {exc}", err=True)
        sys.exit(2)
    if not isinstance(value, dict) or not isinstance(value.get("schema", {}), dict) \
            or not isinstance(value.get("dialect", {}), dict):
        click.echo(f"Deskriptor {path.name} bukan Resource frictionless: harus satu objek dengan \"schema\" "
                   "(Table Schema) dan boleh \"dialect\" serta \"encoding\".", err=True)
        sys.exit(2)
    return value


@click.command("infer")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "tsv", "xlsx", "json"]), default=None,
              help="Format berkas (default: dari nama berkas atau isinya).")
@click.option("--sheet", default=None, help="Lembar XLSX: nama atau nomor (default: lembar pertama).")
@click.option("--json", "as_json", is_flag=True, help="Cetak deskriptor Resource frictionless lengkap sebagai JSON.")
def infer_command(file: Path, fmt: str | None, sheet: str | None, as_json: bool) -> None:
    """Tebak Table Schema, enkode dan dialek tabel FILE (CSV, TSV, XLSX, JSON)."""
    from satudata.tabular.schema import UnusableInput
    from satudata.validation.inference import infer_resource

    try:
        descriptor = infer_resource(file, fmt, sheet=sheet,
                                    xlsx_max_uncompressed=_config("XLSX_MAX_UNCOMPRESSED_BYTES", None))
    except UnusableInput as exc:
        click.echo(f"Tidak dapat dibaca: {exc.message}", err=True)
        sys.exit(2)
    if as_json:
        click.echo(json.dumps(descriptor, ensure_ascii=False, indent=2))
        return
    dialect = descriptor.get("dialect") or {}
    layout = [descriptor["format"].upper()]
    if descriptor.get("encoding"):
        layout.append(f"enkode {descriptor['encoding']}")
    if (dialect.get("csv") or {}).get("delimiter"):
        layout.append(f"pemisah {dialect['csv']['delimiter']!r}")
    if (dialect.get("excel") or {}).get("sheet"):
        layout.append(f"lembar {dialect['excel']['sheet']}")
    layout.append(f"judul kolom di baris {', '.join(map(str, dialect.get('headerRows') or [1]))}")
    click.echo(f"Berkas : {file.name} ({', '.join(layout)})")
    click.echo("Kolom  :")
    for spec in descriptor["schema"]["fields"]:
        written = ""
        if spec.get("groupChar") or spec.get("decimalChar"):
            written = f" (ribuan {spec.get('groupChar', '')!r}, desimal {spec.get('decimalChar', '.')!r})"
        click.echo(f"  - {spec['name']}: {spec['type']}{written}")
    click.echo("Gunakan --json untuk deskriptor lengkap (untuk 'satudata validate --resource' atau frictionless).")


def _close(bar: Any) -> None:
    if bar is not None:
        bar.__exit__(None, None, None)


def _numbers(schema: Any) -> dict[str, tuple[str, str]]:
    """The columns of the Table Schema (a descriptor or a name) written with separators."""
    from satudata.tabular import standards
    from satudata.tabular.numbers import number_formats

    if isinstance(schema, dict) or not schema:
        return number_formats(schema or None)
    try:  # the engine has checked it already: only read it again
        return number_formats(standards.load_schema(schema, _config("SCHEMAS_PATH", None)))
    except (standards.SchemaNotFound, ValueError):
        return {}


def _print_summary(file: Path, schema: str | None, outcome: Any,
                   numbers: dict[str, tuple[str, str]] | None = None) -> None:
    from satudata.validation.messages import explain, summarise

    report = outcome.report
    task = (report.get("tasks") or [{}])[0]
    stats = task.get("stats", {})
    summary = summarise(report)
    sheet = f", lembar {outcome.sheet}" if outcome.sheet else ""
    rows = f"{int(stats.get('rows') or 0):,}".replace(",", ".")
    click.echo(f"Berkas : {file.name} ({outcome.format.upper()}{sheet}, {rows} baris)")
    click.echo(f"Skema  : {schema or '(ditebak dari isi berkas)'}")
    if summary["valid"]:
        click.secho("Hasil  : VALID, tabel memenuhi standar data.", fg="green")
        return
    more = " (dihentikan pada 1.000 kesalahan pertama)" if summary["truncated"] else ""
    click.secho(f"Hasil  : TIDAK VALID, {summary['errors']} kesalahan{more}", fg="red")
    for item in summary["by_type"]:
        click.echo(f"  - {item['judul']} ({item['type']}): {item['count']}")
    errors = task.get("errors", []) + report.get("errors", [])
    click.echo("")
    for error in errors[:SHOWN_ERRORS]:
        where = []
        if error.get("rowNumber"):
            where.append(f"baris {error['rowNumber']}")
        if error.get("fieldName"):
            where.append(f"kolom \"{error['fieldName']}\"")
        info = explain(error, (numbers or {}).get(str(error.get("fieldName"))))
        click.echo(f"* {', '.join(where) or 'berkas'}: {info['masalah']}")
        click.echo(f"  Perbaikan: {info['perbaikan']}")
        click.echo(f"  ({error.get('message', '')})")
    if len(errors) > SHOWN_ERRORS:
        click.echo(f"... dan {len(errors) - SHOWN_ERRORS} kesalahan lain; gunakan --json untuk laporan lengkap.")
