"""The web server loads, before it forks its processes, what they would each load on their
first requests (satudata/server.py when_ready -> Portal.warm_up): they then share it."""

from __future__ import annotations

import sys
import weakref
from typing import Any


def test_warm_up_compiles_every_template_and_loads_the_stemmer(app: Any) -> None:
    from satudata.search import text

    app.warm_up()
    templates = app.jinja_env.list_templates(extensions=("html", "txt", "xml"))
    assert len(templates) > 50
    loader = weakref.ref(app.jinja_env.loader)
    assert all(app.jinja_env.cache.get((loader, name)) is not None for name in templates)
    assert text._stemmer is not None and "tantivy" in sys.modules
