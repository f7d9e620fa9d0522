"""``duluan``: the one command line. The only package that may import every other package.

Commands live in modules by concern (admin, collect, nlp, report, serve); importing them here
registers them on ``app``.
"""

from cli import admin, collect, models, nlp, report, retention, serve  # noqa: F401 - registers the commands
from cli.app import app
from cli.serve import DEMO_USERS, serve_folder

__all__ = ["DEMO_USERS", "app", "serve_folder"]
