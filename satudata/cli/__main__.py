"""``python -m satudata.cli``: the ``satudata`` command."""

from satudata.cli import main

main()
