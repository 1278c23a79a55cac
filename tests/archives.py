"""Zip archives built in memory, for the tests that upload or read them."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping


def zipped(entries: Mapping[str, str | bytes]) -> bytes:
    """A zip holding ``entries`` (name: text or bytes)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()
