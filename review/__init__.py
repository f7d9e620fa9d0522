"""People's decisions: which items they must look at, who holds which, and what they decided.

``review.triage`` turns analyses into tasks, ``review.leases`` leases them, ``review.verdicts``
records verdicts (the two-person rule, override) and ``review.history`` takes them back or changes
them (``review.queue`` gathers their public names); ``review.agreement`` measures how often
reviewers agree; ``review.reports`` turns what collaborators hand in (text, links, screenshots)
into items. A package of its own (not part of ``nlp``): it is about people's decisions and leases
and needs no model; the API, the CLI and the retraining loop use it.
"""
