"""The Daftar Data (Perpres 39/2019, "Perencanaan"): the yearly list of data each OPD is to
produce, with its standard, frequency, release date (jadwal rilis) and the Data Prioritas flag;
the dataset that fulfils each item; the release calendar (per OPD, and public); the XLSX
import and export the walidata's clerks work with; and the reminders before a release date
and when an item is late.

An item's status (``due``, ``submitted``, ``published``, ``late``) is derived from its release
date, today's date in the portal's zone (WIB) and the state of the fulfilling dataset, never
stored: it cannot drift from the dataset it describes.
"""
