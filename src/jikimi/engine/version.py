"""The engine's version, recorded in every tracks file and export manifest."""

ENGINE_VERSION = "jikimi.engine 0.1.0"
