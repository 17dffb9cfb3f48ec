"""What a target produces: the bytes of one file and what the build report says about it.

Kept apart from the renderers so the parent process can receive outputs from render workers
without importing WeasyPrint.
"""

from dataclasses import dataclass, field


@dataclass
class Output:
    """A file to write, relative to the output folder, with what the report says about it."""

    path: str
    kind: str
    booklet: str | None
    data: bytes
    pages: int
    card: str | None = None
    clinic: str | None = None
    qr: str | None = None  # the exact URL its QR code encodes
    notes: int = 0  # blank Notes pages kept to pad the page count
    anchors: list = field(default_factory=list)
    references: list = field(default_factory=list)
    seconds: float = 0.0
