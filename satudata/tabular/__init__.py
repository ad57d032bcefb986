"""Reading tables and Table Schemas, with no domain in them (part of the kernel).

- ``convert.py``: XLSX and JSON to CSV, the readers every table goes through.
- ``preflight.py``: the checks an upload passes before it is stored (format, encoding, shape).
- ``patterns.py``: Table Schema ``pattern`` constraints, run only by a linear-time engine (re2).
- ``reference.py``: reference code lists usable from a Table Schema (Kemendagri kode wilayah).
- ``standards.py``: the standard Table Schemas of ``schemas/``.
- ``schema.py``: ``check_schema`` / ``resolve_schema`` and ``UnusableInput``.

The catalogue (uploads, typed exports) and validation (the engine) both use them; as the
kernel imports no domain, neither has to import the other for them.
"""
