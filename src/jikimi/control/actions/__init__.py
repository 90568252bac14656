"""The control centre's state changes, one module per duty; each in one transaction with its audit entry."""
