"""The humane floor: hands, states, breaks, leave, intraday, coaching, people, recruitment."""
