"""Reports for the committee: SQL → DataFrame → summary tables → Markdown (HTML/DOCX later)."""
