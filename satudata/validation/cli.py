"""``satudata validate FILE``: validate a table offline, without the portal running.

    satudata validate penduduk.csv --schema penduduk_kecamatan_jenis_kelamin
    satudata validate laporan.xlsx --schema ./skema.json --sheet 2 --json > laporan.json

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
    from flask import current_app, has_app_context

    return current_app.config.get(key, default) if has_app_context() else default


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
def validate_command(file: Path, schema: str | None, fmt: str | None, sheet: str | None, as_json: bool,
                     engine: str | None) -> None:
    """Periksa tabel FILE (CSV, TSV, XLSX, JSON) terhadap Table Schema."""
    from satudata.tabular.schema import UnusableInput
    from satudata.validation.engine import validate_table_detailed

    engine = engine or _config("VALIDATION_ENGINE", "auto")
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
            file, schema, fmt=fmt, engine=engine, progress=progress,  # type: ignore[arg-type]
            sheet=sheet, schemas_dir=_config("SCHEMAS_PATH", None),
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
        _print_summary(file, schema, outcome)
    sys.exit(0 if outcome.valid else 1)


def _close(bar: Any) -> None:
    if bar is not None:
        bar.__exit__(None, None, None)


def _print_summary(file: Path, schema: str | None, outcome: Any) -> None:
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
        info = explain(error)
        click.echo(f"* {', '.join(where) or 'berkas'}: {info['masalah']}")
        click.echo(f"  Perbaikan: {info['perbaikan']}")
        click.echo(f"  ({error.get('message', '')})")
    if len(errors) > SHOWN_ERRORS:
        click.echo(f"... dan {len(errors) - SHOWN_ERRORS} kesalahan lain; gunakan --json untuk laporan lengkap.")
