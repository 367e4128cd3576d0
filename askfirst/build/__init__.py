"""Stage 5, build: the site engine turns pages into a site, WeasyPrint turns print HTML into PDFs
(in worker processes, with a cache)."""
