"""Law as code: pure functions over plain values. Standard library only; no Django, no I/O, no clock."""
