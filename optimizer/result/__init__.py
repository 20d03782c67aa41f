"""What a solve yields: the typed plan and its summary, business as usual, explanations."""
