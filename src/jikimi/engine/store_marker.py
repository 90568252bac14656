"""The file that marks a directory as a footage store (engine.footage writes it, engine.masking reads it:
a masked clip or a package is never written into the vault's own store)."""

STORE_MARKER = ".jikimi-footage-store"
