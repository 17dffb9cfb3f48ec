"""What a target produces: the bytes of one file and what the build report says about it.

Kept apart from the renderers so the parent process can receive outputs from render workers
without importing WeasyPrint.
"""

import hashlib
import os
import tempfile
from dataclasses import dataclass, field


@dataclass
class Output:
    """A file to write, relative to the output folder, with what the report says about it."""

    path: str
    kind: str
    booklet: str | None
    data: bytes  # empty when ``spooled`` holds the bytes
    pages: int
    card: str | None = None
    clinic: str | None = None
    qr: str | None = None  # the exact URL its QR code encodes
    notes: int = 0  # blank Notes pages kept to pad the page count
    compact: bool = False  # the back cover was set smaller to fit its page (long values)
    anchors: list = field(default_factory=list)
    references: list = field(default_factory=list)
    seconds: float = 0.0
    spooled: object = None  # a Spooled file holding the bytes (runs of thousands of files)

    @property
    def payload(self):
        """What the commit writes: the bytes, or the Spooled file that holds them."""
        return self.spooled if self.spooled is not None else self.data

    @property
    def sha256(self):
        return self.spooled.sha256 if self.spooled is not None else \
            hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Spooled:
    """An output's bytes already written to a file in the build's temporary folder (inside
    the output folder, so the commit moves it into place rather than copying it): a run of
    10,000 clinics then never holds 20,000 files in memory, nor pickles them between
    processes."""

    path: str
    sha256: str

    @classmethod
    def write(cls, data):
        handle, path = tempfile.mkstemp(prefix='spool-', suffix='.pdf')
        with os.fdopen(handle, 'wb') as stream:
            stream.write(data)
        return cls(path, hashlib.sha256(data).hexdigest())
