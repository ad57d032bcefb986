"""The REST API's toolkit, shared by every domain's ``api.py`` (kernel: it knows no domain).

- ``fields``: marshmallow fields and validators whose messages read in Bahasa Indonesia, the one
  timestamp format (``UTCDateTime``), JSON cells;
- ``inputs``: loading query strings, JSON bodies and multipart forms into typed values, refusing
  bad input with ``Invalid`` (answered 422 with per-field messages);
- ``envelope``: the one response shape (``{"data", "meta", "links"}``), the serializers that
  describe it, and absolute links at the portal's public address;
- ``docs``: OpenAPI metadata declared on the route (``@documented``); ``satudata/api/openapi.py``
  assembles the document from the routes themselves, so there is one route table.
"""
