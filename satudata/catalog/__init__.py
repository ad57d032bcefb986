"""Catalogue: datasets and their Satu Data metadata, resources and stored files, versions,
topics, tags and licences, and the public pages that show them."""
