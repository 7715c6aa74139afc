"""The data home every stage shares: its folders, settings, owner-only files, locks and disk space."""
