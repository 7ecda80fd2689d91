"""Bytes to text for the readers, with the file-level problems named: unreadable (E001), binary
(E002), not UTF-8 (E003), empty (E008).

Files are read in chunks so a mistaken multi-gigabyte input costs memory for ``keep_chars``
characters only, while its real length is still counted for the E009 warning.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TypeVar

from ..errors import ItemError

CHUNK_BYTES = 1 << 20  # 1 MiB: big enough to be fast, small enough to bound memory
SNIFF_BYTES = 8192  # how much of a file is checked for NUL bytes before parsing it line by line
BOM = b"\xef\xbb\xbf"
T = TypeVar("T")


@dataclass
class DecodedText:
    text: str  # at most keep_chars characters
    total_chars: int  # length of the whole decoded file


def is_binary(sample: bytes) -> bool:
    """Text files never contain NUL bytes; binary files (PDF, images, zip, UTF-16) nearly always do."""
    return b"\x00" in sample


def sniff_binary(path: Path, location: str) -> ItemError | None:
    """E001 if ``path`` cannot be read, E002 if its start looks binary, else None."""
    try:
        with path.open("rb") as handle:
            sample = handle.read(SNIFF_BYTES)
    except OSError as err:
        return ItemError.make("E001", location, detail=err.strerror or err)
    return ItemError.make("E002", location) if is_binary(sample) else None


def stream_file(path: Path, name: str, stream: Callable[[BinaryIO], Iterator[T]]) -> Iterator[T | ItemError]:
    """Items from a line-oriented file, read by ``stream`` from its open binary handle: E002 for a binary
    file, E001 for one that cannot be opened or read."""
    problem = sniff_binary(path, name)
    if problem is not None:
        yield problem
        return
    try:
        with path.open("rb") as handle:
            yield from stream(handle)
    except OSError as err:
        yield ItemError.make("E001", name, detail=err.strerror or err)


def decode_chunks(chunks: Iterable[bytes], location: str, keep_chars: int) -> DecodedText | ItemError:
    """Decode a stream of UTF-8 byte chunks, keeping the first ``keep_chars`` characters."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    kept: list[str] = []
    n_kept = total = consumed = 0
    for chunk in chunks:
        if is_binary(chunk):
            return ItemError.make("E002", location)
        try:
            part = decoder.decode(chunk)
        except UnicodeDecodeError as err:
            return ItemError.make("E003", location, offset=consumed + err.start)
        consumed += len(chunk)
        total += len(part)
        if n_kept < keep_chars:
            kept.append(part[: keep_chars - n_kept])
            n_kept += len(kept[-1])
    try:
        tail = decoder.decode(b"", final=True)
    except UnicodeDecodeError as err:
        return ItemError.make("E003", location, offset=consumed + err.start)
    total += len(tail)
    text = "".join(kept) + tail[: max(0, keep_chars - n_kept)]
    if not text.strip():
        return ItemError.make("E008", location)
    return DecodedText(text, total)


def read_chunks(handle: BinaryIO) -> Iterable[bytes]:
    while chunk := handle.read(CHUNK_BYTES):
        yield chunk


def read_text_file(path: Path, location: str, keep_chars: int) -> DecodedText | ItemError:
    """A whole text file as one string (cut to ``keep_chars``), or the reason it cannot be one."""
    try:
        with path.open("rb") as handle:
            return decode_chunks(read_chunks(handle), location, keep_chars)
    except OSError as err:
        return ItemError.make("E001", location, detail=err.strerror or err)


def decode_line(raw: bytes, location: str, file_offset: int) -> str | ItemError:
    """One JSONL line as text; E003 names the byte offset in the file."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return ItemError.make("E003", location, offset=file_offset + err.start)
