"""Typst in a process of its own: `python -m steerco.pack.typst_child` reads a pickled
``Job`` on standard input and writes the PDF's bytes to standard output.

Typst keeps whatever it lays out in memo caches that the Python binding never evicts, so a
process that typesets a pack holds that memory until it ends (about 2.4 MB a page of dense
tables; each further pack adds its own). A child process gives it all back when it exits,
so neither the web's job worker nor the command grows with every pack it builds.

This module imports neither Django nor the rest of steerco: the child starts in a tenth of
a second.
"""

from __future__ import annotations

import datetime as dt
import pickle
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import typst

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)


@dataclass(frozen=True)
class Job:
    source: str
    inputs: dict[str, str]
    date: tuple[int, int, int]  # written as the PDF's date: the same bytes for the same input
    # Checked against PDF/UA-1 and declared so; a part of a long pack (steerco.pack.parts) is
    # tagged alike but not checked alone, since it may begin below its first heading's level.
    ua: bool = True


class TypesetFailed(RuntimeError):
    """Typst refused the source (or the child died); the message is Typst's own."""


@cache
def compiler() -> typst.Compiler:
    fonts = [str(d) for d in FONT_DIRS if d.is_dir()]
    return typst.Compiler(font_paths=fonts, ignore_system_fonts=True)


def compile_here(job: Job) -> bytes:
    """Typst source → PDF (tagged, PDF/UA-1) in this process: what the child runs, and what
    the benchmark times as the engine alone."""
    year, month, day = job.date
    pdf = compiler().compile(
        input=job.source.encode("utf-8"),
        format="pdf",
        sys_inputs=job.inputs,
        timestamp=dt.datetime(year, month, day, tzinfo=dt.UTC),
        pdf_standards=["ua-1"] if job.ua else [],
    )
    assert isinstance(pdf, bytes)
    return pdf


class Children:
    """The child processes that typeset one pack. Started ahead, each imports Typst and
    loads the fonts while the pack is still being built (or the part before typeset), and
    then waits for its job; the one started ahead and not needed is ended on leaving."""

    def __init__(self, ahead: bool = True) -> None:
        self.ahead = ahead
        self.ready: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Children:
        if self.ahead:
            self.ready = _start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.ready is not None:
            self.ready.kill()
            self.ready.communicate()
            self.ready = None

    def compile(self, job: Job, *, more: bool = False) -> bytes:
        """``more``: another job follows, so the next process is started meanwhile."""
        child = self.ready or _start()
        self.ready = _start() if self.ahead and more else None
        pdf, error = child.communicate(pickle.dumps(job))
        if child.returncode != 0:
            raise TypesetFailed(error.decode("utf-8", "replace").strip())
        return pdf


def _start() -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", __name__],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def compile_apart(job: Job) -> bytes:
    """One job in a child process, which returns all Typst's memory when it ends."""
    with Children(ahead=False) as children:
        return children.compile(job)


def main() -> None:
    compiler()  # the fonts, loaded while the job is still being made
    job = pickle.load(sys.stdin.buffer)
    try:
        pdf = compile_here(job)
    except typst.TypstError as error:
        sys.stderr.write(f"Typst could not typeset the pack: {error}\n")
        raise SystemExit(1) from None
    sys.stdout.buffer.write(pdf)


if __name__ == "__main__":
    main()
