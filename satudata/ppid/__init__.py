"""The PPID domain: public information requests under UU 14/2008 (UU KIP) — the register and
its nomor pendaftaran, the working-day clock of the law (``deadlines``), the decisions the law
allows, keberatan and disputes with their own clocks, the DIP, the anonymised public register and
the annual reports. Nothing is imported here: each module is imported where it is used."""
