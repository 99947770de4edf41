"""HTML templates of maps and pages (``string.Template`` placeholders, no logic)."""
