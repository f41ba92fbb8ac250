"""Root query and mutation bodies, and the pure rule functions they call (no strawberry here)."""
