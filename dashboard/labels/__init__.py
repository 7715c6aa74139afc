"""Label tables, one module per area; i18n merges them. Keys must be unique across modules."""
