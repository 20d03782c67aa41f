"""The scenario a user writes: its schema, its files (extends, overrides, paths) and sweep files."""
