"""The readable text of a workbook's VBA project: each module's source, for the anonymised copy's check.

vbaProject.bin is a compound file (olefile reads it). Its `dir` stream, compressed as [MS-OVBA]
2.4.1 says, lists the modules: for each, the stream holding it and the offset where its source
starts (after a compiled cache); the source is compressed the same way. The `PROJECT` stream is
plain text (module list, project name, description). What a person could have typed into the
project — a name in a comment, a string in the code, the project's description — is there.
"""

from __future__ import annotations

import codecs
import io
import struct
from collections.abc import Iterator

import olefile

from .vba_version import decompress

_MODULE_NAME = 0x0019
_STREAM_NAME = 0x001A
_MODULE_OFFSET = 0x0031
_MODULE_END = 0x002B
_PROJECT_VERSION = 0x0009  # its size field says 4, but 6 bytes follow ([MS-OVBA] 2.3.4.2.1.11)
_CODE_PAGE = 0x0003


class UnreadableProject(ValueError):
    """The VBA project's structure cannot be followed (damaged, or a form this reader does not know)."""


def project_texts(data: bytes) -> Iterator[tuple[str, str]]:
    """(where, text) for the PROJECT stream and each module's source."""
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except (OSError, ValueError) as err:
        raise UnreadableProject(str(err)) from err
    with ole:
        root = _root(ole)
        if ole.exists(root + "PROJECT"):
            yield "PROJECT", ole.openstream(root + "PROJECT").read().decode("cp1252", "replace")
        if not ole.exists(root + "VBA/dir"):
            return
        try:
            directory = decompress(ole.openstream(root + "VBA/dir").read())
            modules, codepage = _modules(directory)
        except (IndexError, ValueError, struct.error) as err:
            raise UnreadableProject(str(err)) from err
        encoding = _encoding(codepage)
        yield "dir", directory.decode(encoding, "replace")  # project name, descriptions, references
        for stream, offset in modules:
            path = root + "VBA/" + stream
            if not ole.exists(path):
                raise UnreadableProject(f"module {stream} absent")
            raw = ole.openstream(path).read()
            try:
                source = decompress(raw, offset)
            except (IndexError, ValueError) as err:
                raise UnreadableProject(f"module {stream}: {err}") from err
            yield f"module « {stream} »", source.decode(encoding, "replace")


def _root(ole: olefile.OleFileIO) -> str:
    """'' for a workbook's vbaProject.bin; the storage holding `VBA/` otherwise."""
    if ole.exists("VBA/dir"):
        return ""
    for entry in ole.listdir(streams=True, storages=False):
        if len(entry) >= 3 and entry[-2:] == ["VBA", "dir"]:
            return "/".join(entry[:-2]) + "/"
    return ""


def _modules(dir_stream: bytes) -> tuple[list[tuple[str, int]], int]:
    """(stream name, source offset) of each module, and the project's code page."""
    modules: list[tuple[str, int]] = []
    codepage = 1252
    stream, offset = "", 0
    pos = 0
    while pos + 6 <= len(dir_stream):
        record, size = struct.unpack_from("<HI", dir_stream, pos)
        pos += 6
        if record == _PROJECT_VERSION:
            size = 6
        body = dir_stream[pos:pos + size]
        if len(body) < size:
            raise ValueError("enregistrement dir tronqué")
        pos += size
        if record == _CODE_PAGE and size == 2:
            codepage = struct.unpack("<H", body)[0]
        elif record == _MODULE_NAME:
            stream, offset = body.decode("cp1252", "replace"), 0
        elif record == _STREAM_NAME:
            stream = body.decode(_encoding(codepage), "replace")
        elif record == _MODULE_OFFSET and size == 4:
            offset = struct.unpack("<I", body)[0]
        elif record == _MODULE_END:
            modules.append((stream, offset))
    return modules, codepage


def _encoding(codepage: int) -> str:
    name = "utf-8" if codepage == 65001 else f"cp{codepage}"
    try:
        codecs.lookup(name)
    except LookupError:
        return "cp1252"
    return name
