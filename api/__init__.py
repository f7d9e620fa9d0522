"""The FastAPI application: the JSON API (``api.routes``: auth, items, review queue, verdicts,
collaborators' reports, feeds, models, reports, alerts, health and metrics) and the Vietnamese web
app (``api.web``), served by ``duluan serve``."""
