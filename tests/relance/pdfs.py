"""Reading the PDFs Relance serves, as a reader's PDF viewer would: pypdf on the bytes."""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader


@dataclass
class Heading:
    title: str
    page: int  # 0-based
    top: float | None  # the destination's height on its page
    children: list[Heading]


def read(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-"), pdf[:40]
    return PdfReader(io.BytesIO(pdf), strict=True)


def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def text_of(reader: PdfReader) -> str:
    """The text on the pages, with the line breaks as spaces."""
    return " ".join(" ".join(text.split()) for text in page_texts(reader))


def outline(reader: PdfReader) -> list[Heading]:
    """The PDF's bookmarks, as a tree."""

    def tree(items: list) -> list[Heading]:
        headings: list[Heading] = []
        for item in items:
            if isinstance(item, list):
                headings[-1].children = tree(item)
            else:
                top = item.get("/Top")
                headings.append(
                    Heading(
                        title=str(item.title),
                        page=reader.get_destination_page_number(item),
                        top=float(top) if top is not None else None,
                        children=[],
                    )
                )
        return headings

    return tree(reader.outline)
