"""Collaboration on a case: other departments as collaborators with a task, side
conversations with third parties, meetings, a check-in rhythm and a task force."""
