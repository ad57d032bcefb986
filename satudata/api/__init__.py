"""APIs: the CKAN-compatible Action API, the REST API v1 with its OpenAPI document, open-data
feeds, and the health endpoints."""
