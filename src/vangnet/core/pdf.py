"""Small PDF documents (fpdf2): a title, facts and sections of text. No fonts to install.

fpdf2's built-in Helvetica knows Latin-1 only; characters outside it (typographic quotes,
dashes) are replaced by their nearest plain form, and anything else by "?". Documents are
written uncompressed: they are small, and their text can be checked in tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

_PLAIN = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
    }
)


def _latin1(text: str) -> str:
    return text.translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


@dataclass
class Section:
    heading: str
    paragraphs: Sequence[str] = ()
    rows: Sequence[tuple[str, str]] = ()


@dataclass
class Document:
    title: str
    subtitle: str = ""
    sections: list[Section] = field(default_factory=list)
    footer: str = ""


def render(document: Document) -> bytes:
    # Imported here, not with the module: fpdf2 brings fontTools and Pillow, about 16 MB that
    # every web process would hold for the few that ever make a PDF (docs/performance.md).
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_compression(False)
    pdf.set_title(_latin1(document.title))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(width, 8, _latin1(document.title), new_x="LMARGIN", new_y="NEXT")
    if document.subtitle:
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(width, 5, _latin1(document.subtitle), new_x="LMARGIN", new_y="NEXT")
    for section in document.sections:
        pdf.ln(4)
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(width, 6, _latin1(section.heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        for label, value in section.rows:
            pdf.set_font("Helvetica", "B", 10)
            pdf.cell(50, 5, _latin1(label))
            pdf.set_font("Helvetica", "", 10)
            pdf.multi_cell(width - 50, 5, _latin1(value or "-"), new_x="LMARGIN", new_y="NEXT")
        for paragraph in section.paragraphs:
            pdf.multi_cell(width, 5, _latin1(paragraph), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
    if document.footer:
        pdf.ln(6)
        pdf.set_font("Helvetica", "I", 8)
        pdf.multi_cell(width, 4, _latin1(document.footer), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
