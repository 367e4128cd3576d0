"""Stage 4, render: one Jinja environment turns the curriculum into the site's Markdown pages and
the print HTML of every PDF, with the output paths they link to."""
