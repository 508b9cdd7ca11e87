"""Pages of the floor and people."""
