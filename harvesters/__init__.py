"""Harvester plug-ins (one module per source type). They fetch and map remote records and
never touch the database; satudata/harvest persists what they return. The first plug-ins
arrive with the harvesting issue."""
