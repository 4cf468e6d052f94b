"""Reading members' export files from disk within ``marquee.limits``: one file, a folder, or a zip.

Every read is bounded: a file by ``MAX_FILE_BYTES`` (``/dev/zero`` or a FIFO is refused after that
many bytes, not read forever); a zip by ``MAX_ZIP_MEMBERS``, ``MAX_ZIP_MEMBER_BYTES``,
``MAX_ZIP_TOTAL_BYTES`` and ``MAX_ZIP_RATIO``, checked on the sizes its directory declares before
anything is inflated *and* while inflating (a directory can lie). Zips holding unsafe member names
(``../x``, absolute paths, backslashes, NUL), zips inside zips, and encrypted members are refused.
Nothing is ever extracted to disk. Errors are ``InputError`` naming the file as the user gave it
(``ZIP/member.csv`` for a zip's member).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from marquee.errors import InputError
from marquee.limits import (
    MAX_FILE_BYTES,
    MAX_ZIP_MEMBER_BYTES,
    MAX_ZIP_MEMBERS,
    MAX_ZIP_RATIO,
    MAX_ZIP_TOTAL_BYTES,
)

__all__ = ["ExportFile", "is_zip", "read_bounded", "read_folder", "read_zip"]

_MIB = 1024 * 1024
_CHUNK = _MIB
# Members this small cannot be bombs: their ratio is not checked (an empty CSV deflates to 2 bytes).
_RATIO_FLOOR = 64 * 1024
_ARCHIVE_SUFFIXES = (".zip", ".jar", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".tar", ".zst")
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class ExportFile:
    """One CSV of an export: its name inside the export (``lists/x.csv``), how errors name it, its bytes."""

    name: str
    where: str
    data: bytes


def _size(n: int) -> str:
    return f"{n / _MIB:.0f} MiB" if n >= _MIB else f"{n} bytes"


def read_bounded(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of one file, refused if it is a folder, missing, unreadable, or over ``limit`` bytes."""
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give the export file itself")
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from None
    if len(data) > limit:
        raise InputError(f"{path}: larger than {_size(limit)} (the limit on one export file)")
    return data


def is_zip(path: Path) -> bool:
    """True when the file starts like a zip archive."""
    try:
        with path.open("rb") as handle:
            return handle.read(4) in _ZIP_MAGIC
    except OSError:
        return False


def _unsafe(name: str) -> bool:
    parts = name.split("/")
    return (
        not name
        or "\x00" in name
        or "\\" in name
        or name.startswith("/")
        or bool(_DRIVE.match(name))
        or any(part in ("..", ".") for part in parts)
    )


def _ignored(name: str) -> bool:
    """macOS resource forks and hidden files that zipping on a Mac adds: not part of the export."""
    parts = PurePosixPath(name).parts
    return not parts or parts[0] == "__MACOSX" or any(p.startswith(".") for p in parts)


def _check_declared(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ZIP_MEMBERS:
        raise InputError(f"{path}: {len(infos)} members in the zip (at most {MAX_ZIP_MEMBERS} are read)")
    total = 0
    for info in infos:
        where = f"{path}/{info.filename}"
        if _unsafe(info.filename):
            raise InputError(f"{where}: unsafe member name (absolute, '..', backslash or NUL): refused")
        if info.is_dir():
            continue
        if info.filename.lower().endswith(_ARCHIVE_SUFFIXES):
            raise InputError(f"{where}: an archive inside the zip: nested archives are not read")
        if info.flag_bits & 0x1:
            raise InputError(f"{where}: encrypted: cannot read")
        if info.file_size > MAX_ZIP_MEMBER_BYTES:
            raise InputError(
                f"{where}: {_size(info.file_size)} uncompressed (at most {_size(MAX_ZIP_MEMBER_BYTES)})"
            )
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise InputError(
                f"{where}: expands {info.file_size // max(info.compress_size, 1)} times"
                f" (at most {MAX_ZIP_RATIO}): refused as a zip bomb"
            )
        total += info.file_size
        if total > MAX_ZIP_TOTAL_BYTES:
            raise InputError(
                f"{path}: over {_size(MAX_ZIP_TOTAL_BYTES)} uncompressed in all: refused as a zip bomb"
            )


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, budget: int) -> bytes:
    """A member's bytes, stopped as soon as it passes its declared size, the limits or its ratio."""
    cap = min(info.file_size, MAX_ZIP_MEMBER_BYTES, budget)
    chunks: list[bytes] = []
    got = 0
    with archive.open(info) as member:
        while True:
            chunk = member.read(_CHUNK)
            if not chunk:
                break
            got += len(chunk)
            if got > cap or (got > _RATIO_FLOOR and got > MAX_ZIP_RATIO * max(info.compress_size, 1)):
                raise InputError(f"{where}: expands past its declared size or the limits: refused")
            chunks.append(chunk)
    data = b"".join(chunks)
    if data[:4] in _ZIP_MAGIC:
        raise InputError(f"{where}: a zip inside the zip: nested archives are not read")
    return data


def read_zip(path: Path, wanted: tuple[str, ...] = (".csv",)) -> list[ExportFile]:
    """The members of a zip whose names end with ``wanted``, read within the limits, in zip order."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file or folder") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as err:
        raise InputError(f"{path}: not a zip file ({err})") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from None
    out: list[ExportFile] = []
    with archive:
        infos = archive.infolist()
        _check_declared(path, infos)
        budget = MAX_ZIP_TOTAL_BYTES
        for info in infos:
            name = info.filename
            if info.is_dir() or _ignored(name) or not name.lower().endswith(wanted):
                continue
            where = f"{path}/{name}"
            try:
                data = _inflate(archive, info, where, budget)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as err:
                raise InputError(f"{where}: damaged zip member ({err})") from None
            except (NotImplementedError, RuntimeError) as err:
                raise InputError(f"{where}: cannot read ({err})") from None
            budget -= len(data)
            out.append(ExportFile(name, where, data))
    return out


def read_folder(path: Path, pattern: str = "*.csv") -> list[ExportFile]:
    """The files under a folder matching ``pattern`` (hidden ones skipped), each read within the limits."""
    found: list[Path] = []
    for file in sorted(path.rglob(pattern)):
        relative = file.relative_to(path).as_posix()
        if _ignored(relative) or file.is_dir():
            continue
        found.append(file)
        if len(found) > MAX_ZIP_MEMBERS:
            raise InputError(f"{path}: more than {MAX_ZIP_MEMBERS} files: not a member export")
    out: list[ExportFile] = []
    total = 0
    for file in found:
        data = read_bounded(file)
        total += len(data)
        if total > MAX_ZIP_TOTAL_BYTES:
            raise InputError(f"{path}: over {_size(MAX_ZIP_TOTAL_BYTES)} of CSV files in all")
        out.append(ExportFile(file.relative_to(path).as_posix(), str(file), data))
    return out
