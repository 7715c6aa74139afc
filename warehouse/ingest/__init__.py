"""Ingest: find exports in landing, read them, match a profile, mask, normalize and merge them into the lake."""
