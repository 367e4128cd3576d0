"""Ask First: an age-appropriate consent-education curriculum and the tool that publishes it."""

__version__ = "0.1.0"
