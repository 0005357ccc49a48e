"""Names of places and parties in the report's language: kept at this address for notebooks and
code that import it here; the names live in `maslihat.i18n.names`."""

from maslihat.i18n.names import localised, shown

__all__ = ["localised", "shown"]
