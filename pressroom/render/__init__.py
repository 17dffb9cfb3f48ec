"""Stage 2: turn the model into self-contained HTML (Jinja templates, inlined styles and images)."""
