"""The FastAPI application: review queue, auth, health (reports and model management come later)."""
