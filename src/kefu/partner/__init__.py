"""Summaries and reply drafts from a large language model, checked by the coach."""
