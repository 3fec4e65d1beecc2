"""What a person reads when a file cannot be loaded, and where the details go.

`RefusedFile` is a file refused with a reason code and a message that never quotes a cell.

The terminal and `load_files` get one sentence: the kind of error, the line when the error
names one, what to try, and the log file. The full traceback goes to the log file with
everything shaped like a personal identity number masked: an exception's text may quote a value
from the file.
"""

from __future__ import annotations

import datetime as dt
import re
import traceback
from pathlib import Path

from uiv_core.ingest.identity_numbers import mask_identity_numbers


class RefusedFile(Exception):
    """The file cannot be loaded at all. `code` is one of uiv_schema.reasons.REFUSAL_CODES.

    The message never contains a cell value of the file.
    """

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


_LINE = re.compile(r"\b[Ll]ine:? (\d+)")


def write_error_log(log_dir: Path | None, file_name: str, error: BaseException) -> Path | None:
    """Append the masked traceback of `error` to `<log_dir>/ingest-errors.log`; its path."""
    if log_dir is None:
        return None
    try:
        log_dir = Path(log_dir)
        log_dir.mkdir(parents=True, exist_ok=True)
        path = log_dir / "ingest-errors.log"
        text = "".join(traceback.format_exception(error))
        stamp = dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"--- {stamp} {mask_identity_numbers(file_name)}\n{mask_identity_numbers(text)}\n")
        return path
    except OSError:
        return None


def unreadable_message(error: BaseException, log: Path | None) -> str:
    """One sentence about a file that failed unexpectedly; never a value from the file."""
    found = _LINE.search(str(error))
    where = f" near line {found.group(1)}" if found else ""
    kind = "it does not fit in memory" if isinstance(error, MemoryError) else type(error).__name__
    details = f"; details in {log}" if log else ""
    return (f"the file could not be read{where} ({kind}). Check that it is an export saved as CSV (UTF-8 or "
            f"semicolon) or XLSX and deliver it again{details}")
