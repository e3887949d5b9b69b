"""A small PDF writer for exports (fpdf2): a title, facts, sections of paragraphs.

The built-in Helvetica covers Latin-1 only, which holds Dutch (ë, é, ï); other characters
are mapped to their nearest Latin-1 form so an export never fails on a typographic quote.
No fonts or images are fetched: an export contains only what is passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from fpdf import FPDF

_REPLACEMENTS = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2026": "...",
        "\u2022": "-",
        "\u2192": "->",
        "\u20ac": "EUR",
        "\u00a0": " ",
    }
)


def latin1(text: str) -> str:
    return str(text).translate(_REPLACEMENTS).encode("latin-1", "replace").decode("latin-1")


@dataclass
class Section:
    heading: str
    paragraphs: Sequence[str] = ()
    facts: Sequence[tuple[str, str]] = ()
    items: Sequence[str] = field(default_factory=list)


def render_pdf(
    *,
    title: str,
    subtitle: str = "",
    facts: Iterable[tuple[str, str]] = (),
    sections: Iterable[Section] = (),
    footer: str = "",
) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(latin1(title))
    pdf.set_creator("Vangnet")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(18, 18, 18)
    if footer:
        pdf.footer = lambda: _footer(pdf, footer)  # type: ignore[method-assign]
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, latin1(title), new_x="LMARGIN", new_y="NEXT")
    if subtitle:
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 5, latin1(subtitle), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    _facts(pdf, list(facts))
    for section in sections:
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(0, 7, latin1(section.heading), new_x="LMARGIN", new_y="NEXT")
        _facts(pdf, list(section.facts))
        pdf.set_font("Helvetica", "", 10)
        for paragraph in section.paragraphs:
            pdf.multi_cell(0, 5, latin1(paragraph), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        for item in section.items:
            pdf.multi_cell(0, 5, latin1(f"- {item}"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _facts(pdf: FPDF, facts: list[tuple[str, str]]) -> None:
    for label, value in facts:
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(55, 5, latin1(label))
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 5, latin1(value or "-"), new_x="LMARGIN", new_y="NEXT")


def _footer(pdf: FPDF, text: str) -> None:
    pdf.set_y(-12)
    pdf.set_font("Helvetica", "I", 8)
    pdf.cell(0, 5, latin1(f"{text} - {pdf.page_no()}"), align="C")
