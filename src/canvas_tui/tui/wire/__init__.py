"""The output layer: what reaches the terminal is only what changed on screen (see screen.py)."""
