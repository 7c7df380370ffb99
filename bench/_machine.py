"""What machine a benchmark ran on, for bench/RESULTS.md."""

from __future__ import annotations

import datetime as dt
import os
import platform
from collections.abc import Callable
from pathlib import Path


def _first(path: str, prefix: str, read: Callable[[str], str]) -> str:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return "unknown"
    return next((read(line) for line in lines if line.startswith(prefix)), "unknown")


def describe() -> str:
    model = _first("/proc/cpuinfo", "model name", lambda line: line.split(":", 1)[1].strip())
    memory = _first(
        "/proc/meminfo", "MemTotal", lambda line: f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    )
    return (
        f"{dt.date.today().isoformat()}, {os.cpu_count()} cores ({model}), {memory} RAM, "
        f"Python {platform.python_version()}"
    )
