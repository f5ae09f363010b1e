"""The version of the xlwings VBA module inside a workbook, read without Excel.

`installer-excel` compares it with the xlwings that Excel's Python will import: a mismatch is
the « xlwings version mismatch » message at the first click. The VBA project is a compound file
(olefile reads it); a module's source sits in its stream after an optional performance cache,
compressed as [MS-OVBA] 2.4.1 says. Rather than parsing the `dir` stream for the source's offset,
each place where a compressed container can start is tried, and the one that decompresses to the
xlwings module wins: a few candidates in a stream of some 100 kB.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import olefile

VBA_PART = "xl/vbaProject.bin"
MODULE_STREAM = "VBA/xlwings"
_VERSION = re.compile(rb'XLWINGS_VERSION As String = "([^"]+)"')


def workbook_xlwings_version(path: Path) -> str | None:
    """`XLWINGS_VERSION` of the workbook's xlwings module; None when it has no such module."""
    with zipfile.ZipFile(path) as package:
        if VBA_PART not in package.namelist():
            return None
        project = package.read(VBA_PART)
    with olefile.OleFileIO(io.BytesIO(project)) as ole:
        if not ole.exists(MODULE_STREAM):
            return None
        stream = ole.openstream(MODULE_STREAM).read()
    for start in range(len(stream) - 3):
        if stream[start] == 1 and (stream[start + 2] >> 4) & 0b0111 == 0b011:
            try:
                source = decompress(stream, start)
            except (IndexError, ValueError):
                continue
            found = _VERSION.search(source)
            if found:
                return found.group(1).decode("ascii", "replace")
    return None


def decompress(data: bytes, start: int = 0) -> bytes:
    """[MS-OVBA] 2.4.1.3.1: a CompressedContainer from `start` to the end of `data`, decompressed."""
    if data[start] != 1:
        raise ValueError("pas un conteneur compressé VBA")
    out = bytearray()
    pos = start + 1
    while pos < len(data):
        header = int.from_bytes(data[pos:pos + 2], "little")
        if (header >> 12) & 0b0111 != 0b011:
            raise ValueError("en-tête de bloc VBA invalide")
        chunk_end = min(pos + 2 + (header & 0x0FFF) + 1, len(data))
        pos += 2
        if not header & 0x8000:  # raw chunk: 4096 bytes as they are
            out += data[pos:pos + 4096]
            pos += 4096
            continue
        chunk_start = len(out)
        while pos < chunk_end:
            flags = data[pos]
            pos += 1
            for bit in range(8):
                if pos >= chunk_end:
                    break
                if not flags >> bit & 1:
                    out.append(data[pos])
                    pos += 1
                    continue
                token = int.from_bytes(data[pos:pos + 2], "little")
                pos += 2
                bit_count = max((len(out) - chunk_start - 1).bit_length(), 4)
                offset = (token >> (16 - bit_count)) + 1
                length = (token & (0xFFFF >> bit_count)) + 3
                if offset > len(out) - chunk_start:
                    raise ValueError("référence hors du bloc VBA")
                for _ in range(length):
                    out.append(out[-offset])
    return bytes(out)
