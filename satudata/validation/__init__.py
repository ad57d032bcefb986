"""Table validation: checks a table (CSV, XLSX, JSON) against a frictionless Table Schema.

This domain owns the validation engine (a vectorised fast path with pyarrow and polars that
gives the same report as ``frictionless.validate()``, and falls back to it for anything it does
not cover), the reference code lists usable from a Table Schema (Kemendagri kode wilayah),
the standard Table Schemas of ``schemas/``, the Bahasa Indonesia explanations of each error
type, the RQ job that validates an uploaded resource, and the offline ``satudata validate``
command.

Public entry points: ``engine.validate_table``, ``engine.UnusableInput``,
``tasks.enqueue_validation`` / ``tasks.validate_resource`` / ``tasks.get_progress``,
``standards.load_schema`` and ``messages.explain``. Nothing is imported here, so importing the
package stays cheap (the engine pulls in polars, pyarrow and frictionless).
"""
