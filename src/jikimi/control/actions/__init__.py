"""Every change the control centre makes, one module per duty; each in one transaction with its audit entry."""
