"""Small shared topic modules that any app may use (DESIGN.md): the Seoul clock, PDF rendering, the
read-only admin. `lib` imports no jikimi app: it sits below all of them (the layers contract)."""
