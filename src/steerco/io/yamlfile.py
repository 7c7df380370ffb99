"""YAML reading that remembers the line each mapping starts on, for error messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

try:
    _Base: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - libyaml missing
    _Base = yaml.SafeLoader


class Mapping(dict[str, Any]):
    """A YAML mapping with the (1-based) line it starts on."""

    line: int = 0


class _LineLoader(_Base):  # type: ignore[misc, valid-type]
    pass


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> Mapping:
    mapping = Mapping(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay text here: the loader parses them against the field they are for, so a bad date
# is reported with its row and field rather than as a YAML fault.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}


class YamlError(ValueError):
    def __init__(self, path: Path, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = f"{path.name}, line {line}" if line else path.name
        super().__init__(f"{where}: {message}")


def read(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise YamlError(path, f"not UTF-8 text ({error.reason})") from None
    return parse(text, path)


def parse(text: str, path: Path) -> Any:
    """YAML text read from ``path`` (or uploaded under that name: only its name is used)."""
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        raise YamlError(path, f"not valid YAML: {error.problem}", line) from None
    except (yaml.YAMLError, ValueError) as error:
        raise YamlError(path, f"not valid YAML: {error}") from None


def dump(data: Any) -> str:
    return yaml.dump(data, sort_keys=False, allow_unicode=True, width=100, Dumper=_Dumper)


class _Dumper(yaml.SafeDumper):
    pass


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)
_Dumper.add_representer(Mapping, _Dumper.represent_dict)
