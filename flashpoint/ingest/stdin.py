"""Standard input: JSONL stories when every non-empty line starts with "{", else one text story.

Deciding needs every line, so stdin is first copied to a spooled temporary file (in memory up to
SPOOL_MEMORY_BYTES, on disk beyond) and then read like a file: bounded memory for any size.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import BinaryIO

from ..errors import ItemError
from .decode import BOM, decode_chunks, read_chunks
from .jsonl import read_jsonl_stream
from .story import RawStory

SPOOL_MEMORY_BYTES = 8 << 20  # typical piped input stays in memory; a big one goes to a temp file
# Blanks and the UTF-8 byte order mark's bytes are skipped before looking for "{" (the BOM may be cut
# across chunks, so its bytes are stripped one by one).
_BLANK_OR_BOM = b" \t\r\n\x0b\x0c" + BOM


def _spool(stream: BinaryIO, spool: BinaryIO) -> bool:
    """Copy ``stream`` into ``spool`` chunk by chunk (a single huge line never sits in memory whole);
    True when there is a non-empty line and every non-empty line starts with "{"."""
    all_json = True
    seen_line = False
    in_line = False  # the current line already has a non-blank character
    for chunk in read_chunks(stream):
        spool.write(chunk)
        if not all_json:
            continue
        for index, piece in enumerate(chunk.split(b"\n")):
            if index:
                in_line = False
            if in_line:
                continue
            stripped = piece.lstrip(_BLANK_OR_BOM)
            if stripped:
                in_line = seen_line = True
                all_json = all_json and stripped.startswith(b"{")
    return all_json and seen_line


def read_stdin(stream: BinaryIO, name: str, keep_chars: int) -> Iterator[RawStory | ItemError]:
    """Stories from a binary stream such as ``sys.stdin.buffer``."""
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY_BYTES) as spool:
        is_jsonl = _spool(stream, spool)  # type: ignore[arg-type]
        spool.seek(0)
        if is_jsonl:
            yield from read_jsonl_stream(spool, name)  # type: ignore[arg-type]
            return
        decoded = decode_chunks(read_chunks(spool), name, keep_chars)  # type: ignore[arg-type]
    if isinstance(decoded, ItemError):
        yield decoded
    else:
        yield RawStory(location=name, text=decoded.text, full_length=decoded.total_chars)
