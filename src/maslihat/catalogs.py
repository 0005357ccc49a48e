"""Message catalogs, kept at this address (`python -m maslihat.catalogs update|check`): the
extraction and update live in `maslihat.i18n.catalogs`."""

from maslihat.i18n.catalogs import (
    main,
    messages,
    missing,
    notebook_messages,
    read_catalog,
    untranslated,
    update,
)

__all__ = [
    "main", "messages", "missing", "notebook_messages", "read_catalog", "untranslated", "update",
]  # fmt: skip

if __name__ == "__main__":
    raise SystemExit(main())
