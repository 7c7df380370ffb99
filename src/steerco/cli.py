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
    from steerco.env import SettingError

    try:
        execute_from_command_line(["steerco", *args])
    except SettingError as error:
        # A refused setting is the operator's to fix: say which, without a traceback.
        print(f"steerco: {error}", file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":  # pragma: no cover
    main()
