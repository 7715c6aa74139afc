"""The lake: its manifest, generations, table contract and the unloading of files (written only by load)."""
