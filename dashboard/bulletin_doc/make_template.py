"""Writes templates/bulletin.docx, the Word template of the 通报, with python-docx.

    python -m dashboard.bulletin_doc.make_template [OUT.docx]

The committed .docx is what `gridpulse bulletin` fills (docxtpl: Jinja tags in the Word file). A
department adapts a copy in Word — letterhead, issuing unit, fonts of the styles — and points
``bulletin_template:`` in settings.yml at it; this script only re-creates the stock one.

Layout after GB/T 9704-2012 (党政机关公文格式): A4, margins 37 / 35 / 28 / 26 mm (top, bottom, left,
right), body in 仿宋 三号 (16 pt) with 22 lines a page, title in 小标宋 二号 (22 pt), first-level
headings in 黑体, page numbers 4号 “— n —” outside (odd pages right, even pages left), the red
separator line under the 文号. Every look is a named style (“GP …”), so Word's style pane changes it
everywhere.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

TEMPLATE = Path(__file__).parent / "templates" / "bulletin.docx"
FANGSONG, XIAOBIAOSONG, HEITI, KAITI, SONGTI = "仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"
RED = RGBColor(0xC8, 0x16, 0x1D)
LINE = Pt(28.95)  # 22 lines in the 225 mm type area


def _font(
    style_or_run, east_asia: str, size: float, bold: bool = False, color: RGBColor | None = None
) -> None:
    font = style_or_run.font
    font.name = "Times New Roman"
    font.size = Pt(size)
    font.bold = bold
    if color is not None:
        font.color.rgb = color
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asia)


def _style(
    doc,
    name: str,
    east_asia: str,
    size: float,
    *,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    bold=False,
    indent_chars: float = 0,
    line: Pt | None = LINE,
    color=None,
    space_before=0,
    space_after=0,
):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    _font(style, east_asia, size, bold, color)
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = Pt(size * indent_chars) if indent_chars else Pt(0)
    fmt.space_before, fmt.space_after = Pt(space_before), Pt(space_after)
    if line is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, line
    return style


def _border(paragraph, edge: str, color: str = "C8161D", size_eighths: int = 12) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    line = OxmlElement(f"w:{edge}")
    for key, value in (("val", "single"), ("sz", str(size_eighths)), ("space", "4"), ("color", color)):
        line.set(qn(f"w:{key}"), value)
    borders.append(line)
    ppr.append(borders)


def _page_field(paragraph) -> None:
    """“— PAGE —” (Word fills in the number)."""
    paragraph.add_run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    paragraph.add_run(" —")


def _cell(cell, text: str, style: str) -> None:
    cell.paragraphs[0].text = text
    cell.paragraphs[0].style = style
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _full_width(table) -> None:
    """The table as wide as the type area, its columns sized by Word from their content: the columns
    are as many as the data has (docxtpl repeats the cell), so no fixed cell width fits."""
    tbl_pr = table._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.append(width)
    width.set(qn("w:type"), "pct")
    width.set(qn("w:w"), "5000")
    for tc in table._tbl.iter(qn("w:tc")):
        tc_w = tc.tcPr.find(qn("w:tcW")) if tc.tcPr is not None else None
        if tc_w is not None:
            tc.tcPr.remove(tc_w)


def build(out: Path = TEMPLATE) -> Path:
    doc = Document()
    doc.core_properties.title = "{{ title }}"
    doc.core_properties.author = "网格脉搏 GridPulse"
    normal = doc.styles["Normal"]
    _font(normal, FANGSONG, 16)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = LINE
    normal.paragraph_format.space_after = Pt(0)

    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(20)

    body = _style(doc, "GP 正文", FANGSONG, 16, indent_chars=2)
    _style(doc, "GP 发文机关", XIAOBIAOSONG, 30, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED, line=Pt(40))
    _style(doc, "GP 文号", FANGSONG, 16, align=WD_ALIGN_PARAGRAPH.CENTER)
    _style(
        doc,
        "GP 标题",
        XIAOBIAOSONG,
        22,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        line=Pt(35),
        space_before=12,
        space_after=12,
    )
    _style(doc, "GP 主送", FANGSONG, 16)
    _style(doc, "GP 一级标题", HEITI, 16, indent_chars=2)
    _style(
        doc, "GP 表题", HEITI, 12, align=WD_ALIGN_PARAGRAPH.CENTER, line=None, space_before=6, space_after=4
    )
    _style(doc, "GP 表格", FANGSONG, 10, align=WD_ALIGN_PARAGRAPH.CENTER, line=None)
    _style(doc, "GP 表头", HEITI, 10, align=WD_ALIGN_PARAGRAPH.CENTER, line=None)
    _style(doc, "GP 表注", FANGSONG, 12, line=Pt(20))
    _style(doc, "GP 图", FANGSONG, 12, align=WD_ALIGN_PARAGRAPH.CENTER, line=None, space_before=6)
    _style(doc, "GP 图题", KAITI, 12, align=WD_ALIGN_PARAGRAPH.CENTER, line=None, space_after=6)
    sign = _style(doc, "GP 落款", FANGSONG, 16, align=WD_ALIGN_PARAGRAPH.RIGHT)
    sign.paragraph_format.right_indent = Pt(16 * 4)
    page = _style(doc, "GP 页码", SONGTI, 14, line=None)

    # 版头: issuing unit, 文号 and the red line under it
    doc.add_paragraph("{{ issuing_unit }}", style="GP 发文机关")
    doc.add_paragraph("", style="GP 文号")
    _border(doc.add_paragraph("{{ doc_number }}", style="GP 文号"), "bottom")
    # 主体
    doc.add_paragraph("{{ title }}", style="GP 标题")
    doc.add_paragraph("{{ recipients }}", style="GP 主送")
    doc.add_paragraph("{{ intro }}", style=body)
    doc.add_paragraph("{%p for s in sections %}")
    doc.add_paragraph("{{ s.heading }}", style="GP 一级标题")
    doc.add_paragraph("{%p for para in s.paragraphs %}")
    doc.add_paragraph("{{ para }}", style=body)
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p for t in s.tables %}")
    doc.add_paragraph("{{ t.caption }}", style="GP 表题")
    table = doc.add_table(rows=4, cols=3)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, text in enumerate(("{%tc for h in t.header %}", "{{ h }}", "{%tc endfor %}")):
        _cell(table.rows[0].cells[i], text, "GP 表头")
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # the header row again on every page the table spans
    header.append(repeat)
    _cell(table.rows[1].cells[0], "{%tr for r in t.rows %}", "GP 表格")
    for i, text in enumerate(("{%tc for c in r %}", "{{ c }}", "{%tc endfor %}")):
        _cell(table.rows[2].cells[i], text, "GP 表格")
    _cell(table.rows[3].cells[0], "{%tr endfor %}", "GP 表格")
    _full_width(table)
    doc.add_paragraph("{%p for n in t.notes %}")
    doc.add_paragraph("{{ n }}", style="GP 表注")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p for f in s.figures %}")
    doc.add_paragraph("{{ f.image }}", style="GP 图")
    doc.add_paragraph("{{ f.caption }}", style="GP 图题")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")
    # 落款 and 成文日期
    doc.add_paragraph("", style=body)
    doc.add_paragraph("{{ issuing_unit }}", style=sign)
    doc.add_paragraph("{{ date_text }}", style=sign)

    # Page numbers outside: odd pages right, even pages left, one character in from the edge.
    doc.settings.odd_and_even_pages_header_footer = True
    odd = section.footer.paragraphs[0]
    odd.style, odd.alignment = page, WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = Pt(14)
    _page_field(odd)
    even = section.even_page_footer.paragraphs[0]
    even.style, even.alignment = page, WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = Pt(14)
    _page_field(even)

    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATE))
