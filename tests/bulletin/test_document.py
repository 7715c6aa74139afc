"""The 通报 as a document: the Word file (python-docx reads it back) and the PDF (pypdf extracts its text and
font dictionaries) say what the current release's marts say, in GB/T 9704 layout, and name the same biggest
faller and metric as the street ranking page."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import date

import polars as pl
import pypdf
import pytest
from docx import Document
from docx.shared import Mm, Pt

from dashboard import whatif
from dashboard.bulletin_doc import BulletinError, content, figures, generate, make_template
from tests.app.test_desk_pages import default_period, frame
from tests.app.test_pages import html_of, run_page
from warehouse.cli import main

FLAG = content.FLAG


def _pango() -> str | None:
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:
        return str(exc)
    return None


needs_pango = pytest.mark.skipif(
    _pango() is not None, reason="WeasyPrint needs Debian's pango (make test installs it)"
)


def label(day: date, kind: str = "month") -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}" if kind == "quarter" else f"{day:%Y-%m}"


def mart_ranking(
    warehouse,
    period: date,
    mart: str = "mart_street_ranking",
    name: str = "street_name",
    code: str = "street_code",
    kind: str = "month",
) -> list[tuple[int | None, str, float | None]]:
    return [
        (r, n, s)
        for r, n, s, _ in warehouse.query(
            f"select any_value(composite_rank), {name}, any_value(composite_score), {code} from {mart} "
            "where period_type = ? and period_start = ? group by all order by 1 nulls last, 4",
            [kind, period],
        )
    ]


def docx_text(doc) -> str:
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def table_body(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows[1:]]


@pytest.fixture(scope="module")
def month(warehouse) -> date:
    return default_period(warehouse)


@pytest.fixture(scope="module")
def street_docx(warehouse, month):
    bulletin, data = generate(warehouse.home, label(month), kind="streets", fmt="docx")
    return bulletin, Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def street_pdf(warehouse, month):
    bulletin, data = generate(warehouse.home, label(month), kind="streets", fmt="pdf")
    return bulletin, pypdf.PdfReader(io.BytesIO(data))


def test_docx_title_names_the_city_and_period(street_docx, month):
    _, doc = street_docx
    title = next(p.text for p in doc.paragraphs if p.style.name == "GP 标题")
    assert title.startswith("星澜市") and f"{month.year}年{month.month}月" in title and title.endswith("通报")
    assert doc.core_properties.title == title
    text = docx_text(doc)
    assert "〔" in text and "号" in text  # 文号 placeholder
    assert (
        "（发文机关名称）" in text and f"{date.today().year}年　月　日" in text
    )  # issuing unit, date placeholders


def test_docx_ranking_table_is_the_mart(warehouse, street_docx, month):
    _, doc = street_docx
    mart = mart_ranking(warehouse, month)
    table = doc.tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header[:4] == ["名次", "变化", "街道", "综合得分"] and header[-1] == "小样本指标"
    metrics = [m for (m,) in warehouse.query("select distinct metric_name from mart_street_ranking")]
    assert set(header[4:-1]) == set(metrics)
    body = table_body(table)
    assert [(r[0], r[2].rstrip(FLAG), r[3]) for r in body] == [
        (str(rank), name, f"{score:.3f}") for rank, name, score in mart
    ]


def test_docx_names_the_faller_and_metric_the_ranking_page_names(monkeypatch, warehouse, street_docx, month):
    html = html_of(run_page(monkeypatch, warehouse.home.root, "views/street_ranking.py"))
    code = html.split("data-faller='")[1].split("'")[0]
    metric = html.split("data-metric='")[1].split("'")[0]
    assert code and metric, "the demo has a street that fell, for a metric"
    name, metric_name = warehouse.query(
        "select any_value(street_name), any_value(metric_name) from mart_street_ranking "
        "where street_code = ? and metric_code = ?",
        [code, metric],
    )[0]
    _, doc = street_docx
    said = [p.text for p in doc.paragraphs if "下降最多" in p.text or "降幅最大" in p.text]
    assert len(said) == 1 and name in said[0] and f"主要原因是{metric_name}的贡献变化" in said[0], said
    captions = [p.text for p in doc.paragraphs if p.style.name == "GP 图题"]
    assert any(name in c and "贡献变化" in c for c in captions)  # the faller's contribution chart
    assert len(doc.inline_shapes) >= 2  # composite scores + the faller's contributions, as images


def test_docx_follows_gb_t_9704(street_docx):
    _, doc = street_docx
    section = doc.sections[0]
    for got, mm in (
        (section.top_margin, 37),
        (section.bottom_margin, 35),
        (section.left_margin, 28),
        (section.right_margin, 26),
        (section.page_width, 210),
        (section.page_height, 297),
    ):
        assert abs(got - Mm(mm)) < Mm(0.1)
    body, title = doc.styles["GP 正文"], doc.styles["GP 标题"]
    assert body.font.size == Pt(16) and title.font.size == Pt(22)  # 三号, 二号

    def east_asia(style) -> str:
        return style.element.rPr.rFonts.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
        )

    assert "仿宋" in east_asia(body) and "小标宋" in east_asia(title)
    body_paragraphs = [p for p in doc.paragraphs if p.style.name == "GP 正文" and p.text]
    assert len(body_paragraphs) >= 4
    footer_xml = section.footer._element.xml + section.even_page_footer._element.xml
    assert footer_xml.count("PAGE") == 2  # page numbers on odd and even pages
    assert doc.settings.odd_and_even_pages_header_footer


def test_docx_says_period_basis_and_method_in_one_paragraph(warehouse, street_docx, month):
    bulletin, doc = street_docx
    intro = next(p.text for p in doc.paragraphs if p.text.startswith("现将"))
    release = warehouse.release_db.parent.name
    as_of = warehouse.query("select max(as_of_at) from mart_command_center_kpis")[0][0]
    assert release in intro and bulletin.release_id == release
    assert f"{as_of.year}年{as_of.month}月{as_of.day}日 {as_of:%H:%M}" in intro
    assert f"{month.year}年{month.month}月1日至" in intro
    assert "城运平台案件" in intro and "加权平均" in intro and FLAG in intro


@needs_pango
def test_pdf_has_the_title_every_street_in_rank_order_and_the_faller(warehouse, street_pdf, month):
    bulletin, reader = street_pdf
    first = re.sub(r"\s+", "", reader.pages[0].extract_text())
    assert bulletin.title in first and bulletin.title.startswith("星澜市")
    assert f"{month.year}年{month.month}月" in bulletin.title
    lines = [line.strip() for page in reader.pages for line in page.extract_text().splitlines()]
    mart = mart_ranking(warehouse, month)
    rows = [
        next(
            (
                i
                for i, line in enumerate(lines)
                if re.match(rf"{rank} \S+ {re.escape(name)}{FLAG}? {score:.3f} ", line)
            ),
            None,
        )
        for rank, name, score in mart
    ]
    assert None not in rows, (mart, lines)
    assert rows == sorted(rows)  # in rank order, one line each
    rows_month = frame(
        warehouse,
        "select street_code as entity_code, street_name as entity_name, * "
        "from mart_street_ranking where period_type = 'month'",
    )
    mover = whatif.biggest_faller(rows_month, month)
    text = re.sub(r"\s+", "", "".join(lines))
    assert f"名次下降最多的是{mover.entity_name}" in text or f"降幅最大的是{mover.entity_name}" in text
    assert f"主要原因是{mover.metric_name}的贡献变化" in text


@needs_pango
def test_pdf_embeds_every_font(street_pdf):
    _, reader = street_pdf
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for d in descendants:
                descriptor = d["/FontDescriptor"].get_object()
                fonts[str(d["/BaseFont"])] = [
                    k for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor
                ]
    assert fonts and all(fonts.values()), fonts
    assert any("CJK" in name or "Song" in name or "Fang" in name for name in fonts), fonts
    assert reader.metadata.title.startswith("星澜市")


def test_department_document_is_the_department_mart(warehouse, month):
    _, data = generate(warehouse.home, label(month), kind="departments")
    doc = Document(io.BytesIO(data))
    mart = mart_ranking(warehouse, month, "mart_department_ranking", "department_name", "department_code")
    body = table_body(doc.tables[0])
    assert [(r[0], r[2].rstrip(FLAG), r[3]) for r in body] == [
        ("未排名" if rank is None else str(rank), name, "—" if score is None else f"{score:.3f}")
        for rank, name, score in mart
    ]
    assert "部门报到综合排名情况" in next(p.text for p in doc.paragraphs if p.style.name == "GP 标题")


def test_all_holds_streets_departments_and_the_red_black_lists(warehouse):
    quarter = warehouse.query("select max(quarter_start) from mart_property_lists")[0][0]
    qlabel = label(quarter, "quarter")
    bulletin, data = generate(warehouse.home, qlabel, kind="all")
    doc = Document(io.BytesIO(data))
    headings = [p.text for p in doc.paragraphs if p.style.name == "GP 一级标题"]
    assert any("街道综合排名" in h for h in headings) and any("部门综合排名" in h for h in headings)
    assert any("红黑榜" in h for h in headings)
    assert headings[0].startswith("一、") and headings[-1].endswith("工作要求")
    red, black = (
        warehouse.query(
            "select count(*) from mart_property_lists where quarter_label = ? and (computed_list = ? or published_list = ?)",
            [qlabel, which, which],
        )[0][0]
        for which in ("红榜", "黑榜")
    )
    red_table, black_table = [t for t in doc.tables if t.rows[0].cells[0].text == "项目"]
    assert len(red_table.rows) - 1 == max(red, 1) and len(black_table.rows) - 1 == max(black, 1)
    captions = [p.text for p in doc.paragraphs if p.style.name == "GP 表题"]
    assert f"表：红榜（{red}个项目）" in captions and f"表：黑榜（{black}个项目）" in captions


def test_a_streets_document_covers_only_that_street(warehouse, month):
    streets = warehouse.query("select street_code, street_name from dim_streets order by 1")
    code, name = streets[0]
    _, data = generate(warehouse.home, label(month), kind="all", street=code)
    doc = Document(io.BytesIO(data))
    text = docx_text(doc)
    assert name in next(p.text for p in doc.paragraphs if p.style.name == "GP 标题")
    assert [n for _, n in streets[1:] if n in text] == []  # no other street is named anywhere
    rank, score = warehouse.query(
        "select any_value(composite_rank), any_value(composite_score) from mart_street_ranking "
        "where period_type = 'month' and period_start = ? and street_code = ?",
        [month, code],
    )[0]
    body = table_body(doc.tables[0])
    assert [(r[0], r[2].rstrip(FLAG), r[3]) for r in body] == [(str(rank), name, f"{score:.3f}")]
    by_name, _ = generate(warehouse.home, label(month), kind="streets", street=name)
    assert by_name.street_code == code


def test_cli_writes_the_document_without_streamlit(warehouse, month, tmp_path):
    out = tmp_path / "tb.docx"
    script = (
        "import sys; from warehouse.cli import main; "
        f"rc = main(['bulletin', '--period', '{label(month)}', '--out', r'{out}']); "
        "assert 'streamlit' not in sys.modules, 'the CLI imported streamlit'; sys.exit(rc)"
    )
    run = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={"GRIDPULSE_HOME": str(warehouse.home.root), "PATH": "/usr/bin:/bin"},
    )
    assert run.returncode == 0, run.stderr
    assert "wrote" in run.stderr and zipfile.is_zipfile(out)


@pytest.mark.parametrize(
    "args, says",
    [
        (["--period", "2025-13"], "not a period"),
        (["--period", "1999-01"], "no street ranking for 1999-01"),
        (["--period", "2025-01", "--street", "no such street"], "unknown street"),
    ],
)
def test_cli_refuses_in_one_line(monkeypatch, capfd, warehouse, args, says):
    monkeypatch.setenv("GRIDPULSE_HOME", str(warehouse.home.root))
    assert main(["bulletin", *args]) == 2
    err = capfd.readouterr().err.strip().splitlines()  # from the generator's own process
    assert says in err[-1] and err[-1].startswith("error:")


def test_no_release_is_a_one_line_error(tmp_path):
    from warehouse.home.paths import DataHome

    with pytest.raises(BulletinError, match="gridpulse build"):
        generate(DataHome(tmp_path / "empty"), "2025-01")


def test_a_departments_own_template_and_settings_are_used(warehouse, month):
    settings = warehouse.home.root / "settings.yml"
    before = settings.read_text(encoding="utf-8")
    own = Document(str(make_template.TEMPLATE))
    letterhead = next(p for p in own.paragraphs if p.text == "{{ issuing_unit }}")
    letterhead.text = "{{ issuing_unit }}文件"
    own.save(str(warehouse.home.root / "own.docx"))
    try:
        settings.write_text(
            before + "issuing_unit: 中共星澜市委组织部\ndoc_code: 星组通\nbulletin_template: own.docx\n",
            encoding="utf-8",
        )
        _, data = generate(warehouse.home, label(month))
    finally:
        settings.write_text(before, encoding="utf-8")
    text = [p.text for p in Document(io.BytesIO(data)).paragraphs]
    assert text[0] == "中共星澜市委组织部文件" and f"星组通〔{date.today().year}〕　号" in text
    assert "中共星澜市委组织部" in text  # the signature


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_docx_opens_in_libreoffice(warehouse, month, tmp_path):
    bulletin, data = generate(warehouse.home, label(month), kind="all")
    (tmp_path / "b.docx").write_bytes(data)
    run = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "b.docx"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0 and (tmp_path / "b.pdf").exists(), run.stderr
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "b.pdf").pages))
    assert "综合排名" in text and bulletin.city in text


def test_committed_template_is_what_the_script_makes(tmp_path):
    made = make_template.build(tmp_path / "t.docx")
    for part in ("word/document.xml", "word/styles.xml", "word/footer1.xml", "word/settings.xml"):
        with zipfile.ZipFile(made) as a, zipfile.ZipFile(make_template.TEMPLATE) as b:
            assert a.read(part) == b.read(part), f"{part}: run python -m dashboard.bulletin_doc.make_template"


def test_charts_never_fetch():
    spec_with_url = figures.alt.Chart(figures.alt.Data(url="http://example.invalid/data.csv")).mark_bar()
    with pytest.raises(Exception, match="not allowed"):
        figures.render_png(spec_with_url)
    png = figures.composite_chart(
        pl.DataFrame({"entity_name": ["甲街道", "乙街道"], "composite_score": [1.1, 0.8]})
    )
    assert png.startswith(b"\x89PNG")


def test_a_street_users_document_covers_only_their_street():
    from dashboard.access import User
    from dashboard.bulletin_doc.buttons import scoped_street

    street_user = User("s", "street", "110101001", "local")
    assert scoped_street(street_user, None) == "110101001"
    assert (
        scoped_street(street_user, "110101002") == "110101001"
    )  # not another street's, whatever the page asks
    assert scoped_street(User("o", "organization", None, "local"), None) is None
    assert scoped_street(None, "110101002") == "110101002"
