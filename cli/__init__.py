"""``duluan``: the one command line. The only package that may import every other package.

Commands live in modules by concern (admin, alerts, collect, nlp, report, retention, serve, worker);
importing them here registers them on ``app``; ``convert_refusals`` then makes every command
turn a domain refusal into one error line and exit code 1.
"""

from cli import admin, alerts, collect, models, nlp, report, retention, serve, worker  # noqa: F401
from cli.app import app, convert_refusals
from cli.serve import DEMO_USERS, serve_folder

convert_refusals(app)

__all__ = ["DEMO_USERS", "app", "serve_folder"]
