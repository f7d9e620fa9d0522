"""The review queue: which items people must look at, who holds which, and what they decided.

A package of its own (not ``nlp/review.py``): it is about people's decisions and leases, it
needs no model, and the API, the CLI and later the retraining loop all use it.
"""
