"""``duluan``: the one command line. The only package that may import every other package.

Commands live in modules by concern (admin, alerts, collect, nlp, report, retention, serve, worker);
importing them here registers them on ``app``.
"""

from cli import admin, alerts, collect, models, nlp, report, retention, serve, worker  # noqa: F401
from cli.app import app
from cli.serve import DEMO_USERS, serve_folder

__all__ = ["DEMO_USERS", "app", "serve_folder"]
