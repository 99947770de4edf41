"""Generic CRUD for every record kind under ``/v1`` (``routes``), with its parts: who may read
and write what (``access``), listing cursors (``cursor``), ETags and conditional writes
(``etag``) and the per-kind request models (``schema``)."""

__all__ = ["access", "cursor", "etag", "routes", "schema"]
