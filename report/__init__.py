"""The weekly opinion summary for the committee: SQL → DataFrame (``report.weekly``) → one
document model (``report.document``) rendered as HTML with charts, DOCX and Markdown, plus the
items as CSV."""
