"""Small pieces every workbook and file writer shares: a deterministic zip for openpyxl (entries
dated by the run stamp), a styled write-only cell, exact number text, and writing beside a file
then moving it over (no reader sees half a file)."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter


#: deflate level of the workbooks' entries: the fastest (at 1 M follow-ups zlib's default level 6
#: took 2.6 s of the 7.4 s of the breakdown workbook; level 1 writes files about a fifth larger)
COMPRESS_LEVEL = 1


class FixedZip(zipfile.ZipFile):
    """openpyxl's archive with every entry dated `stamp` and deflated at `COMPRESS_LEVEL`, and the
    data rows of the sheets in `fill` written after their header row."""

    def __init__(self, path, stamp: dt.datetime, fill: dict, width: int):
        super().__init__(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True, compresslevel=COMPRESS_LEVEL)
        self.date_time, self.fill, self.width = stamp.timetuple()[:6], fill, width

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, self.date_time)
        info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o600 << 16
        # the level an entry is deflated at (Python 3.13 names it `compress_level`)
        setattr(info, "compress_level" if hasattr(info, "compress_level") else "_compresslevel", COMPRESS_LEVEL)
        return info

    def write(self, filename, arcname=None, *args, **kwargs):  # the write-only sheets' temp files
        self.writestr(arcname or os.path.basename(filename), Path(filename).read_bytes())

    def writestr(self, name, data, *args, **kwargs):
        name = name.filename if isinstance(name, zipfile.ZipInfo) else name
        if name not in self.fill:
            return super().writestr(self._info(name), data)
        count, rows_xml = self.fill[name]
        head, tail = (data.decode() if isinstance(data, bytes) else data).split("</sheetData>", 1)
        big = count * self.width * 64 > zipfile.ZIP64_LIMIT
        dimension = f'<dimension ref="A1:{get_column_letter(self.width)}{count + 1}" />'
        head = head.replace("</sheetPr>", "</sheetPr>" + dimension, 1)  # lets readers skip a scan
        with self.open(self._info(name), "w", force_zip64=big) as out:
            out.write(head.encode())
            for chunk in rows_xml():
                out.write(chunk.encode())
            out.write(("</sheetData>" + tail).encode())


def styled_cell(sheet, value, **style) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def decimal_text(value) -> str:
    """Shortest exact text of a number, never in exponent form."""
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"not a publishable number: {value}")
        text = repr(value)
        return np.format_float_positional(value, unique=True, trim="-") if "e" in text else text
    return str(value)


def stamp_time(run_stamp: str) -> dt.datetime:
    """The workbook properties' and zip entries' time: `run_stamp` (ISO 8601), to the second."""
    try:
        stamp = dt.datetime.fromisoformat(run_stamp.strip())
    except ValueError as error:
        raise ValueError(f"run_stamp is not an ISO 8601 time: {run_stamp!r}") from error
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return max(stamp.replace(microsecond=0), dt.datetime(1980, 1, 1))


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """Write to `<name>.tmp` beside `path`, then move it over `path` (no reader sees half a file)."""
    temporary = path.with_name(path.name + ".tmp")
    try:
        yield temporary
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    os.replace(temporary, path)


def neutral(text: str) -> str:
    """A text cell that a spreadsheet could take for a formula (starting with = + - @, tab or
    CR; OWASP's CSV-injection rule) gets a leading apostrophe; other text is left alone."""
    return "'" + text if text[:1] in _FORMULA_STARTS else text


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
