"""The portal's version, in the kernel so that any module may report it (``satudata`` itself
is the app factory, which imports every domain)."""

__version__ = "0.1.0"
