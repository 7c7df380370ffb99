"""steerco: programme governance with history, rules and the steering-group pack."""

__version__ = "0.1.0"
