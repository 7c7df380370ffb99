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


def compile_apart(job: Job) -> bytes:
    """The same in a child process, which returns all Typst's memory when it ends."""
    result = subprocess.run(
        [sys.executable, "-m", __name__], input=pickle.dumps(job), capture_output=True
    )
    if result.returncode != 0:
        raise TypesetFailed(result.stderr.decode("utf-8", "replace").strip())
    return result.stdout


def main() -> None:
    job = pickle.load(sys.stdin.buffer)
    try:
        pdf = compile_here(job)
    except typst.TypstError as error:
        sys.stderr.write(f"Typst could not typeset the pack: {error}\n")
        raise SystemExit(1) from None
    sys.stdout.buffer.write(pdf)


if __name__ == "__main__":
    main()
