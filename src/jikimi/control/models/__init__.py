"""The control centre's records, one module per duty."""
