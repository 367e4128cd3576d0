"""Stage 2, resolve: what each reader sees in their language — translations with their
fallbacks, and the configuration values (law, contacts, policy texts) that lessons name."""
