"""The `steerco` command: every Django management command, steerco's own among them."""

from __future__ import annotations

import os
import sys


ALIASES = {"import": "import_"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steerco.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        # Commands are spelt with hyphens (demo-admin); their modules use underscores, and
        # `import`, a Python keyword, lives in the module import_.
        args[0] = ALIASES.get(args[0], args[0].replace("-", "_"))
    execute_from_command_line(["steerco", *args])


if __name__ == "__main__":  # pragma: no cover
    main()
