"""The conflict coach: reads customer messages and coaches agents' replies."""
