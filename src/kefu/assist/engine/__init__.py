"""The coach's pure core: no Django."""
