"""The typed Parquet copy: types from the Table Schema (never guessed), missing values, the
_id column, where it lives, and what happens to a table it cannot type."""

from __future__ import annotations

import uuid
from datetime import date

import duckdb
import pytest
from flask import Flask

from satudata.catalog.models import ValidationStatus
from satudata.datastore import copies, engine
from satudata.datastore import services as datastore
from satudata.extensions import db as _db
from tests.datastore.conftest import CSV, typed_table


def _read(path):  # type: ignore[no-untyped-def]
    """The copy as every reader sees it (engine.sandbox: _id is the file's row number)."""
    con = engine.sandbox({"t": path})
    try:
        types = {name: kind for name, kind, *_ in con.execute("DESCRIBE SELECT * FROM t").fetchall()}
        rows = con.execute("SELECT * FROM t ORDER BY _id").fetchall()
    finally:
        con.close()
    return types, rows


def test_id_is_the_row_order_of_a_table_read_in_parallel(app: Flask) -> None:
    """_id is not written: it is the Parquet row number, which must be the CSV's row order even
    when DuckDB reads the CSV with several threads and writes several row groups."""
    lines = ["kode_wilayah,nama_wilayah,tahun,jumlah,persen,tanggal,aktif"]
    lines += [f'14.{n % 90:02d},Baris {n},2024,"{n}",-,-,ya' for n in range(300_000)]
    _, res = typed_table("\n".join(lines) + "\n")
    con = engine.sandbox({"t": datastore.copy_path(res)})
    try:
        out_of_order = con.execute("SELECT count(*) FROM t WHERE jumlah <> _id - 1").fetchone()
        raw = duckdb.connect()
        groups = raw.execute(f"SELECT count(DISTINCT row_group_id) FROM parquet_metadata('{datastore.copy_path(res)}')"
                             ).fetchone()
        raw.close()
    finally:
        con.close()
    assert out_of_order == (0,)
    assert groups is not None and groups[0] > 1


def test_copy_is_typed_by_the_table_schema(app: Flask) -> None:
    _, res = typed_table()
    path = datastore.copy_path(res)
    assert path is not None and path.is_file()
    assert path.parent.name == "datastore" and path.name.startswith(res.sha256)
    types, rows = _read(path)
    assert types == {"_id": "BIGINT", "kode_wilayah": "VARCHAR", "nama_wilayah": "VARCHAR", "tahun": "INTEGER",
                     "jumlah": "BIGINT", "persen": "DOUBLE", "tanggal": "DATE", "aktif": "BOOLEAN"}
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5]
    first = rows[0]
    assert first[1] == "14.07"  # a code stays text: a guessing engine makes it the number 14.07
    assert first[3:] == (2023, 637161, 7.5, date(2024, 1, 31), True)
    assert rows[2][5] is None  # "-" is a missing value
    assert rows[3][6] is None
    assert rows[4][2] == 'Kepulauan Meranti, "Selatpanjang"'
    assert rows[1][7] is False


def test_copy_is_rebuilt_under_a_new_name_when_the_schema_changes(app: Flask) -> None:
    _, res = typed_table()
    before = datastore.copy_path(res)
    res.table_schema = {**res.table_schema, "fields": [dict(f, type="string") if f["name"] == "tahun" else f
                                                       for f in res.table_schema["fields"]]}
    _db.session.commit()
    after = datastore.copy_path(res)
    assert after != before and after is not None and not after.is_file()
    datastore.build_copy(res)
    types, _ = _read(after)
    assert types["tahun"] == "VARCHAR"


def test_a_column_that_does_not_cast_is_kept_as_text_not_lost(app: Flask) -> None:
    schema = {"fields": [{"name": "kode", "type": "string"},
                         {"name": "tanggal", "type": "date", "format": "%d %B %Y"}]}
    # frictionless reads Indonesian month names with a locale; DuckDB's strptime does not.
    _, res = typed_table("kode,tanggal\nA,17 Agustus 2024\nB,1 Januari 2025\n", schema=schema)
    types, rows = _read(datastore.copy_path(res))
    assert types["tanggal"] == "VARCHAR"
    assert [r[2] for r in rows] == ["17 Agustus 2024", "1 Januari 2025"]


def test_non_utf8_semicolon_csv_goes_through_the_normalised_csv(app: Flask) -> None:
    data = "kode_wilayah;nama_wilayah;jumlah\r\n14.07;Bagansiapiapi Caf\u00e9;1200\r\n".encode("cp1252")
    schema = {"fields": [{"name": "kode_wilayah", "type": "string"}, {"name": "nama_wilayah", "type": "string"},
                         {"name": "jumlah", "type": "integer"}]}
    _, res = typed_table(data, schema=schema)
    types, rows = _read(datastore.copy_path(res))
    assert rows == [(1, "14.07", "Bagansiapiapi Caf\u00e9", 1200)]
    assert types["jumlah"] == "BIGINT"


def test_no_copy_for_a_table_that_is_not_valid(app: Flask) -> None:
    _, res = typed_table(build=False, publish=False)
    res.validation_status = ValidationStatus.INVALID
    _db.session.commit()
    assert datastore.build_copy(res) is None
    assert not datastore.has_copy(res)


def test_copy_job_after_a_valid_verdict_is_enqueued(app: Flask) -> None:
    """Validation announces its verdict (validation.events.table_validated); the datastore
    enqueues the copy job, which writes the file."""
    from satudata import jobs
    from satudata.datastore import tasks
    from satudata.validation import events

    _, res = typed_table(build=False)
    q = jobs.get_queue("default")
    q.empty()
    events.table_validated.send(res, status=ValidationStatus.VALID)
    _db.session.commit()
    queued = [j for j in q.jobs if j.args and j.args[0] == "satudata.datastore.tasks.build_copy"]
    assert [j.args[1] for j in queued] == [res.id]
    q.empty()
    assert tasks.build_copy(res.id, res.sha256) == datastore.copy_path(res).name
    assert datastore.has_copy(res)


def test_sweep_enqueues_missing_copies(app: Flask) -> None:
    from satudata import jobs
    from satudata.datastore import tasks

    _, res = typed_table(CSV + f'14.05,Siak {uuid.uuid4()},2024,"1","1",-,ya\n',
                         build=False)  # copies are content-addressed: content no other test wrote
    q = jobs.get_queue("default")
    q.empty()
    assert tasks.sweep_copies() == 1
    q.empty()
    datastore.build_copy(res)
    assert tasks.sweep_copies() == 0


def test_write_copy_refuses_duplicate_headers(app: Flask, tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "t.csv"
    source.write_text("a,a\n1,2\n")
    target = copies.datastore_dir() / "x.parquet"
    try:
        copies.write_copy(source, target, None)
    except copies.CopyFailed as exc:
        assert "ganda" in str(exc)
    else:
        raise AssertionError("duplicate headers were accepted")
    assert not target.exists()


def test_cli_rebuild_writes_missing_copies_and_prunes_stale_ones(app: Flask) -> None:
    _, res = typed_table(CSV + f'14.06,Kampar {uuid.uuid4()},2024,"1","1",-,ya\n', build=False)
    stale = copies.datastore_dir() / ("0" * 64 + "-0000000000000000.parquet")
    stale.write_bytes(b"PAR1")
    from satudata.datastore.cli import data_group

    runner = app.test_cli_runner()
    result = runner.invoke(data_group, ["rebuild"])
    assert result.exit_code == 0, result.output
    assert "salinan ditulis" in result.output
    assert datastore.has_copy(res) and not stale.exists()
    status = runner.invoke(data_group, ["status"])
    assert "belum: 0" in status.output
    again = runner.invoke(data_group, ["rebuild"])
    assert "0 salinan ditulis" in again.output


def test_short_rows_and_long_cells_are_read_on_the_retry(app: Flask) -> None:
    """What the fast read refuses (a row with fewer cells, a 3 MB cell) is read again padded."""
    schema = {"fields": [{"name": "kode", "type": "string"}, {"name": "catatan", "type": "string"},
                         {"name": "jumlah", "type": "integer"}]}
    long_text = "x" * 3_000_000
    _, res = typed_table(f"kode,catatan,jumlah\n14.07,pendek,5\n14.08,{long_text},6\n14.09\n", schema=schema)
    _, rows = _read(datastore.copy_path(res))
    assert [r[1] for r in rows] == ["14.07", "14.08", "14.09"]
    assert len(rows[1][2]) == 3_000_000 and rows[2][3] is None


def test_a_csv_whose_later_bytes_are_not_utf8_is_a_clear_failure(app: Flask) -> None:
    """The stored file looks like UTF-8 comma CSV in its first 64 KiB, so the copy reads it
    directly; a cp1252 byte far below makes DuckDB refuse it, and the copy is tried again from the
    CSV download, which refuses it too (frictionless, reading it as validation does, would have
    judged it invalid): a clear error, no half-written copy."""
    from satudata.errors import DomainError

    schema = {"fields": [{"name": "kode_wilayah", "type": "string"}, {"name": "nama_wilayah", "type": "string"},
                         {"name": "jumlah", "type": "integer"}]}
    lines = [b"kode_wilayah,nama_wilayah,jumlah"] + [b"14.07,Rokan Hilir,%d" % n for n in range(5000)]
    lines.append("14.73,Caf\u00e9 Dumai,1".encode("cp1252"))
    _, res = typed_table(b"\n".join(lines) + b"\n", schema=schema, build=False)
    with pytest.raises(DomainError) as refused:
        datastore.build_copy(res)
    assert "tidak dapat dikonversi" in refused.value.message
    assert not datastore.copy_path(res).exists()
