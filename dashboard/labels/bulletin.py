"""Labels of the 通报 document buttons (Word / PDF) on the ranking pages: key → (中文, English)."""

LABELS: dict[str, tuple[str, str]] = {
    "bulletin_docx": ("下载通报（Word）", "Bulletin (Word)"),
    "bulletin_pdf": ("下载通报（PDF）", "Bulletin (PDF)"),
    "bulletin_doc_help": (
        "本期正式排名的通报公文：排名表、进退情况与原因、图表；Word 可编辑后盖章印发。",
        "This period's official ranking as a formal bulletin: table, who moved and why, "
        "charts; edit the Word file, then stamp and issue it.",
    ),
}
