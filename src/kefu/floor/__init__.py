"""The humane floor: raise a hand, agent states, breaks without asking, leave, intraday, coaching, people and retention, recruitment."""
