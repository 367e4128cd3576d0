"""Stage 1, load: every YAML file of a project and of the curricula it extends, read safely into
typed models with the line and column of every value (and a school's overrides applied)."""
