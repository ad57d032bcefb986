"""Accounts: organisations (OPD), users, memberships with roles, and the audit log."""
