"""The customer portal and the public status page."""
