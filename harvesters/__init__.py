"""Harvester plug-ins (one module per source type), registered in the ``satudata.harvesters``
entry-point group. They fetch and map remote records and never touch the database;
satudata/harvest persists what they return.

- ``base.py``: the contract (gather, fetch, map), the plain records, ``discover()``.
- ``http.py``: the one guarded HTTP session every outbound request goes through.
- ``ckan.py``: CKAN Action API 3 sources.
- ``listing.py``: a plain JSON or CSV list of datasets (an OPD's own system, a spreadsheet);
  also the example of a small plug-in.

How to write one for an OPD's own system: README.md in this folder.
"""
