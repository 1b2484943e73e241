"""One report written in every format Tally reads, built by the tests themselves: Markdown and
HTML as text, PDF with fpdf2, Word with python-docx. A report is a list of blocks:
("h", level, title), ("p", text), ("ul", [items]), ("ol", [items]), ("table", [header], [[cells]])."""

from __future__ import annotations

import io
from typing import Any

Block = tuple[Any, ...]

ENGLISH: list[Block] = [
    ("h", 1, "Kestle Valley council election 2024"),
    ("p", "The council counted 8,488 ballots cast by 12,500 registered voters on 5 May 2024."),
    ("p", "Turnout reached 67.9% of the 12,500 registered voters, up from 61% in 2019, and 214 volunteers staffed "
          "the 3 polling stations of the valley all day long."),
    ("h", 2, "Priorities"),
    ("p", "The new council named 3 priorities:"),
    ("ul", ["Repair the 14 bridges of the valley", "Open 2 new libraries", "Plant 1,200 trees"]),
    ("h", 2, "Votes by candidate"),
    ("p", "The 3 candidates received the following votes:"),
    ("table", ["Candidate", "Votes"], [["Alice Martin", "4,102"], ["Bruno Keller", "2,950"],
                                       ["Chloe Durand", "1,436"], ["Total", "8,488"]]),
    ("p", "Alice Martin won with a majority of 1,152 votes over Bruno Keller."),
]

FRENCH: list[Block] = [
    ("h", 1, "Élection municipale de Val-Clair 2024"),
    ("p", "La commune a compté 6 240 bulletins déposés par 9 800 électeurs inscrits le 5 mai 2024."),
    ("p", "La participation atteint 63,7 % des 9 800 inscrits, contre 58 % en 2019, et 180 bénévoles ont tenu "
          "les 3 bureaux de vote de la vallée toute la journée."),
    ("h", 2, "Priorités"),
    ("p", "Le nouveau conseil a retenu 3 priorités :"),
    ("ul", ["Rénover les 14 ponts de la vallée", "Ouvrir 2 nouvelles médiathèques", "Planter 1 200 arbres"]),
    ("h", 2, "Voix par liste"),
    ("p", "Les 3 listes ont obtenu les voix suivantes :"),
    ("table", ["Liste", "Voix"], [["Val-Clair Demain", "3 010"], ["Ensemble pour Val-Clair", "2 105"],
                                  ["Agir Ensemble", "1 125"], ["Total", "6 240"]]),
    ("p", "La liste Val-Clair Demain l'emporte avec 905 voix d'avance sur Ensemble pour Val-Clair."),
]


def markdown(blocks: list[Block], emphasis: bool = False) -> str:
    out: list[str] = []
    for b in blocks:
        if b[0] == "h":
            out += ["#" * b[1] + " " + b[2], ""]
        elif b[0] == "p":
            first, rest = b[1].split(" ", 1)
            out += [f"**{first}** {rest}" if emphasis else b[1], ""]
        elif b[0] in ("ul", "ol"):
            out += [(f"{i}. " if b[0] == "ol" else "- ") + item for i, item in enumerate(b[1], 1)] + [""]
        elif b[0] == "table":
            out += ["| " + " | ".join(b[1]) + " |", "|" + "|".join("---" for _ in b[1]) + "|"]
            out += ["| " + " | ".join(r) + " |" for r in b[2]] + [""]
    return "\n".join(out).rstrip() + "\n"


def html(blocks: list[Block], lang: str = "en") -> str:
    from html import escape as e

    body: list[str] = []
    for b in blocks:
        if b[0] == "h":
            body.append(f"<h{b[1]}>{e(b[2])}</h{b[1]}>")
        elif b[0] == "p":
            body.append(f"<p>{e(b[1])}</p>")
        elif b[0] in ("ul", "ol"):
            body.append(f"<{b[0]}>" + "".join(f"\n  <li>{e(i)}</li>" for i in b[1]) + f"\n</{b[0]}>")
        elif b[0] == "table":
            head = "".join(f"<th>{e(c)}</th>" for c in b[1])
            rows = "".join("\n  <tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in b[2])
            body.append(f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>{rows}\n</tbody></table>")
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>Report</title>'
            "<style>body { margin: 0 }</style><script>var visits = 40213;</script></head>\n<body>\n"
            '<header><a href="/">Home</a> <nav><ul><li><a href="/2023">2023: 17 results</a></li>'
            '<li><a href="/contact">Contact</a></li></ul></nav></header>\n<main>\n' + "\n".join(body)
            + "\n</main>\n<aside>Read also: 5 other reports</aside>\n"
            "<footer>© 2024 Kestle Valley, 3 rue du Port</footer>\n</body></html>\n")


def pdf(blocks: list[Block], break_before: str | None = None) -> bytes:
    """The report as a PDF; a new page starts before the heading `break_before`."""
    from fpdf import FPDF

    class Numbered(FPDF):
        def footer(self) -> None:  # "Page 1 of 2" in the bottom margin: not part of the text
            self.set_y(-12)
            self.set_font("Helvetica", "", 8)
            self.cell(0, 8, f"Page {self.page_no()} of {{nb}}", align="C")

    doc = Numbered()
    doc.add_page()
    doc.set_auto_page_break(True, 15)
    for b in blocks:
        if b[0] == "h" and b[2] == break_before:
            doc.add_page()
        if b[0] == "h":
            doc.set_font("Helvetica", "B", 18 if b[1] == 1 else 14)
            doc.multi_cell(0, 10, b[2], new_x="LMARGIN", new_y="NEXT")
            doc.ln(2)
        elif b[0] == "p":
            doc.set_font("Helvetica", "", 11)
            doc.multi_cell(0, 6, b[1], new_x="LMARGIN", new_y="NEXT")
            doc.ln(4)
        elif b[0] in ("ul", "ol"):
            doc.set_font("Helvetica", "", 11)
            for i, item in enumerate(b[1], 1):
                doc.multi_cell(0, 6, (f"{i}. " if b[0] == "ol" else "- ") + item, new_x="LMARGIN", new_y="NEXT")
            doc.ln(4)
        elif b[0] == "table":
            doc.set_font("Helvetica", "", 11)
            with doc.table(first_row_as_headings=False) as table:
                for r in [b[1], *b[2]]:
                    row = table.row()
                    for c in r:
                        row.cell(c)
            doc.ln(4)
    return bytes(doc.output())


def docx(blocks: list[Block]) -> bytes:
    import docx as python_docx

    doc = python_docx.Document()
    for b in blocks:
        if b[0] == "h":
            doc.add_heading(b[2], b[1])
        elif b[0] == "p":
            doc.add_paragraph(b[1])
        elif b[0] in ("ul", "ol"):
            for item in b[1]:
                doc.add_paragraph(item, style="List Bullet" if b[0] == "ul" else "List Number")
        elif b[0] == "table":
            rows = [b[1], *b[2]]
            table = doc.add_table(rows=len(rows), cols=len(b[1]))
            for i, r in enumerate(rows):
                for j, c in enumerate(r):
                    table.cell(i, j).text = c
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def every_format(blocks: list[Block], lang: str) -> dict[str, bytes]:
    """The report as file name -> bytes, one per format (the PDF's table on its page 2)."""
    return {
        "report.txt": markdown(blocks).encode(),
        "report.md": markdown(blocks, emphasis=True).encode(),
        "report.html": html(blocks, lang).encode(),
        "report.pdf": pdf(blocks, break_before=blocks[-4][2]),
        "report.docx": docx(blocks),
    }
