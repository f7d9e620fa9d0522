"""People's decisions: which items they must look at, who holds which, and what they decided.

``review.queue`` triages analyses into tasks, leases them, records verdicts (undo, change,
override, the two-person rule) and the history; ``review.agreement`` measures how often
reviewers agree; ``review.reports`` turns what collaborators hand in (text, links, screenshots)
into items. A package of its own (not part of ``nlp``): it is about people's decisions and leases
and needs no model; the API, the CLI and the retraining loop use it.
"""
