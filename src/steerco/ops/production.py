"""What production mode refuses: settings that are unsafe on a server others can reach.

A plain function over the settings' values, so each refusal is testable on its own; the
settings module calls it when STEERCO_PRODUCTION is on and stops with every reason at once.
"""

from __future__ import annotations

from collections.abc import Mapping

DEVELOPMENT_KEY = "steerco-development-key-not-for-production"


def unsafe(settings: Mapping[str, object], environ: Mapping[str, str]) -> list[str]:
    """One message per unsafe setting, naming the environment variable to change."""
    problems = []
    if settings["DEBUG"]:
        problems.append("STEERCO_DEBUG is on: debug pages leak settings and data")
    key = str(settings["SECRET_KEY"])
    if "STEERCO_SECRET_KEY" not in environ or key == DEVELOPMENT_KEY:
        problems.append("STEERCO_SECRET_KEY is not set: the development key is public")
    elif len(key) < 50 or len(set(key)) < 5:
        problems.append("STEERCO_SECRET_KEY is too weak: use at least 50 random characters")
    hosts = settings["ALLOWED_HOSTS"]
    if "STEERCO_ALLOWED_HOSTS" not in environ:
        problems.append("STEERCO_ALLOWED_HOSTS is not set: name the hosts steerco serves")
    elif isinstance(hosts, list) and "*" in hosts:
        problems.append("STEERCO_ALLOWED_HOSTS contains '*': name the hosts steerco serves")
    engine = str(settings["DATABASE_ENGINE"])
    sqlite_allowed = environ.get("STEERCO_ALLOW_SQLITE_IN_PRODUCTION", "").lower() in (
        "1",
        "true",
        "yes",
        "on",
    )
    if engine.endswith("sqlite3") and not sqlite_allowed:
        problems.append(
            "STEERCO_DATABASE_URL is SQLite: use PostgreSQL, or set "
            "STEERCO_ALLOW_SQLITE_IN_PRODUCTION=true for a single server"
        )
    return problems
