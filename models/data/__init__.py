"""Data readers: CSV tables and timestamps, meters, weather, PV yields, load profiles, tariffs."""
