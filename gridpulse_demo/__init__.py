"""The demo city 星澜市: its government systems' raw exports, deliberately messy, with a manifest."""

from .run import generate

__all__ = ["generate"]
