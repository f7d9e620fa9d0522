"""``python -m cli`` is ``duluan``."""

from cli import app

app()
