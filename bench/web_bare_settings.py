"""steerco's settings with one extra page for bench/web_load.py: a bare Django page that
renders a 200-row table (no access checks, no derivations), the yardstick the dashboards
and register lists are measured against."""

from steerco.settings import *  # noqa: F403

ROOT_URLCONF = "web_bare_urls"
