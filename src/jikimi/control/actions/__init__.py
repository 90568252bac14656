"""Every change the control centre makes, each in one transaction with its audit entry (DESIGN.md)."""
