"""``satudata validate``: exit 0 valid, 1 invalid, 2 unusable input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from satudata.validation.cli import validate_command
from tests.tables import write_csv

pytestmark = pytest.mark.nodb  # touches no database: the PostgreSQL pass leaves it out

SCHEMA = {"fields": [{"name": "a", "type": "integer", "constraints": {"minimum": 0}}, {"name": "b", "type": "string"}]}


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(validate_command, list(args))
    return result.exit_code, result.stdout, result.stderr


def _schema(tmp_path: Path) -> str:
    path = tmp_path / "skema.json"
    path.write_text(json.dumps(SCHEMA))
    return str(path)


def test_valid_file_exits_0(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ok.csv", [["a", "b"], ["1", "x"]])
    code, out, _ = _run(str(path), "--schema", _schema(tmp_path))
    assert code == 0
    assert "VALID" in out and "1 baris" in out


def test_invalid_file_exits_1_and_explains(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "salah.csv", [["a", "b"], ["-1", "x"], ["dua", "y"]])
    code, out, _ = _run(str(path), "--schema", _schema(tmp_path))
    assert code == 1
    assert "TIDAK VALID, 2 kesalahan" in out
    assert "baris 2, kolom \"a\"" in out and "Perbaikan:" in out


def test_json_output_is_the_report(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "salah.csv", [["a", "b"], ["-1", "x"]])
    code, out, _ = _run(str(path), "--schema", _schema(tmp_path), "--json", "--engine", "frictionless")
    assert code == 1
    report = json.loads(out)
    assert report["valid"] is False and report["tasks"][0]["errors"][0]["type"] == "constraint-error"


def test_library_schema_by_name(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "k.csv", [["kode_wilayah", "nama_wilayah", "tahun"], ["14.07", "Rokan Hilir", "2025"]])
    code, out, _ = _run(str(path), "--schema", "kemiskinan")
    assert code == 1 and "Kolom tidak ada" in out


def test_unusable_input_exits_2(tmp_path: Path) -> None:
    empty = tmp_path / "kosong.csv"
    empty.write_bytes(b"")
    code, _, err = _run(str(empty), "--schema", _schema(tmp_path))
    assert code == 2 and "Berkas kosong" in err
    path = write_csv(tmp_path / "ok.csv", [["a", "b"], ["1", "x"]])
    code, _, err = _run(str(path), "--schema", "tidak_ada")
    assert code == 2 and "tidak ditemukan" in err
    code, _, err = _run(str(tmp_path / "hilang.csv"))
    assert code == 2 and "tidak ditemukan" in err
    bad = tmp_path / "t.json"
    bad.write_text('{"a": 1}')
    code, _, err = _run(str(bad))
    assert code == 2 and "bukan array record" in err


def test_progress_bar_on_a_big_file(tmp_path: Path) -> None:
    rows = [["a", "b"], *([str(i), "x" * 40] for i in range(130_000))]
    path = write_csv(tmp_path / "besar.csv", rows)
    assert path.stat().st_size > 5 * 1024 * 1024
    code, out, err = _run(str(path), "--schema", _schema(tmp_path))
    assert code == 0 and "Memeriksa" in err


# --------------------------------------------------------------------------- infer, validate --resource


INDONESIAN = [["kecamatan", "penduduk", "luas_km2"], ["Kubu", "34.645", "1.120,5"], ["Bangko", "812", "56,25"]]


def test_infer_prints_a_resource_frictionless_itself_takes(tmp_path: Path) -> None:
    import subprocess
    import sys

    from satudata.validation.cli import infer_command

    path = write_csv(tmp_path / "penduduk.csv", INDONESIAN, delimiter=";")
    result = CliRunner().invoke(infer_command, [str(path)])
    assert result.exit_code == 0
    assert "pemisah ';'" in result.stdout and "penduduk: number (ribuan '.', desimal ',')" in result.stdout
    result = CliRunner().invoke(infer_command, [str(path), "--json"])
    descriptor = json.loads(result.stdout)
    assert descriptor["encoding"] == "utf-8" and descriptor["format"] == "csv"
    assert descriptor["dialect"] == {"headerRows": [1], "csv": {"delimiter": ";"}}
    assert {f["name"]: f.get("groupChar") for f in descriptor["schema"]["fields"]} == \
        {"kecamatan": None, "penduduk": ".", "luas_km2": "."}
    # A new month's file, one wrong cell: ours and frictionless's own command agree.
    resource = tmp_path / "penduduk.resource.json"
    resource.write_text(json.dumps(descriptor))
    new = write_csv(tmp_path / "baru.csv", [*INDONESIAN, ["Sinaboi", "seribu", "3"]], delimiter=";")
    code, out, _ = _run(str(new), "--resource", str(resource))
    assert code == 1
    assert 'baris 4, kolom "penduduk"' in out and "titik sebagai pemisah ribuan, misalnya 1.250,5" in out
    code, out, _ = _run(str(path), "--resource", str(resource), "--json")
    assert code == 0 and json.loads(out)["valid"]
    theirs = subprocess.run([sys.executable, "-m", "frictionless", "validate", str(resource), "--trusted", "--json"],
                            capture_output=True, text=True, check=False)
    assert json.loads(theirs.stdout)["valid"] is True


def test_validate_refuses_a_bad_resource_and_both_sources(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ok.csv", [["a", "b"], ["1", "x"]])
    broken = tmp_path / "rusak.json"
    broken.write_text("[1, 2")
    code, _, err = _run(str(path), "--resource", str(broken))
    assert code == 2 and "tidak dapat dibaca sebagai JSON" in err
    broken.write_text(json.dumps({"schema": "bukan objek"}))
    code, _, err = _run(str(path), "--resource", str(broken))
    assert code == 2 and "bukan Resource frictionless" in err
    code, _, err = _run(str(path), "--resource", str(broken), "--schema", _schema(tmp_path))
    assert code == 2 and "tidak keduanya" in err


def test_infer_of_a_file_that_is_not_a_table_exits_2(tmp_path: Path) -> None:
    from satudata.validation.cli import infer_command

    empty = tmp_path / "kosong.csv"
    empty.write_bytes(b"")
    result = CliRunner().invoke(infer_command, [str(empty)])
    assert result.exit_code == 2 and "Tidak dapat dibaca" in result.stderr


# The offline commands start without the web application's stack (issue #14: a portal
# validates thousands of small tables, and start-up is paid on every one).
PROBE = """
import sys
from satudata.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
loaded = sorted(m for m in ("flask", "sqlalchemy", "rq", "redis", "duckdb", "flask_babel") if m in sys.modules)
print("LOADED=" + ",".join(loaded), "CODE=" + str(code))
"""


@pytest.mark.parametrize("command", ["validate", "infer"])
def test_offline_commands_do_not_load_the_web_stack(tmp_path: Path, command: str) -> None:
    import subprocess
    import sys

    path = write_csv(tmp_path / "ok.csv", [["a", "b"], ["1", "x"], ["2.500", "y"]])
    args = [str(path)] + (["--schema", _schema(tmp_path)] if command == "validate" else [])
    proc = subprocess.run([sys.executable, "-c", PROBE, command, *args], capture_output=True, text=True,
                          check=False, timeout=120)
    assert "LOADED= CODE=" in proc.stdout, proc.stdout + proc.stderr
    expected = "CODE=1" if command == "validate" else "CODE=0"  # "2.500" is no integer under the schema
    assert expected in proc.stdout, proc.stdout + proc.stderr


def test_other_commands_reach_the_application_group() -> None:
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "satudata.cli", "ppid", "due", "--from", "2026-12-21",
                           "--days", "10"], capture_output=True, text=True, check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == "2027-01-08"
