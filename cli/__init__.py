"""``duluan``: the one command line. The only package that may import every other package.

Commands live in modules by concern (admin, alerts, collect, nlp, report, retention, serve, worker);
importing them here registers them on ``app``; ``reflow_help`` reflows their help to the terminal's
width, and ``convert_refusals`` makes every command turn a domain refusal into one error line and
exit code 1.
"""

from cli import admin, alerts, collect, models, nlp, report, retention, serve, worker  # noqa: F401
from cli.app import app, convert_refusals, reflow_help
from cli.serve import DEMO_USERS, serve_folder

reflow_help(app)  # before convert_refusals wraps the callbacks (and hides their docstrings)
convert_refusals(app)

__all__ = ["DEMO_USERS", "app", "serve_folder"]
