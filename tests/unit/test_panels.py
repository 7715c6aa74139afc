"""dashboard.panels and dashboard.formatting: HTML panels escape what comes from the exports, and numbers read
the same on every page."""

from __future__ import annotations

import re

import polars as pl

from dashboard import formatting, panels

HOSTILE = "<script>alert('x')</script>街道"
SAFE = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;街道"


def test_a_hostile_street_name_is_text_in_every_panel():
    html = "".join(
        [
            panels.urgent_list(
                [
                    {
                        "category": HOSTILE,
                        "place": HOSTILE,
                        "reported": "05-01 08:00",
                        "channel": HOSTILE,
                        "overdue": True,
                    }
                ],
                0,
                1,
                "超期",
            ),
            panels.table_board(HOSTILE, ["排名", "街道"], [[1, HOSTILE]]),
            panels.screen_title(HOSTILE, f"{HOSTILE} · 2026-05-01", "08:00:00"),
            panels.kpi_card("cases_open", 3, HOSTILE, "件", "3", HOSTILE, panels.change(3, 2, "件"), False),
            panels.board_title(HOSTILE),
            panels.empty(HOSTILE),
            panels.heading(HOSTILE, "red"),
            panels.callout(panels.escaped(street=HOSTILE)["street"], HOSTILE, HOSTILE, badge=HOSTILE),
            panels.marker({"period": HOSTILE, "zero-units": 2}),
        ]
    )
    assert "<script" not in html and "alert('x')" not in html
    assert html.count(SAFE) >= 11 or html.count("&lt;script&gt;") >= 14, html


def test_the_urgent_list_keeps_its_shape():
    html = panels.urgent_list(
        [
            {
                "category": "占道经营",
                "place": "澜北街道东苑社区",
                "reported": "05-01 08:00",
                "channel": "12345",
                "overdue": True,
            },
            {
                "category": None,
                "place": "澜北街道",
                "reported": "05-01 09:00",
                "channel": None,
                "overdue": False,
            },
        ],
        1,
        3,
        "超期",
    )
    assert html.count("<li") == 2 and "class='overdue'" in html and "超期" in html
    assert "<b>—</b>" in html and html.endswith("<div class='pager'>2 / 3</div>")


def test_only_the_cells_built_here_are_html():
    html = panels.table_board(
        "街道排名",
        ["排名", "变化"],
        [[1, panels.rank_change(2)], [2, panels.rank_change(-1)], [3, panels.rank_change(None)]],
        html_columns=frozenset({1}),
    )
    assert "<span class='up'>▲2</span>" in html and "<span class='down'>▼1</span>" in html
    assert "<span class='flat'>—</span>" in html


def test_stylesheets_are_files_read_once():
    wall, app = panels.screen_styles(True), panels.screen_styles(False)
    assert wall.startswith("<style>") and "display: none" in wall and "display: none" not in app
    assert re.search(r"--cc-value-size:\s*40px", wall) and re.search(r"--cc-value-size:\s*34px", app)
    assert panels._css.cache_info().currsize >= 3  # screen, screen-wall, screen-app: read once, then kept


def test_one_percent_format_everywhere():
    assert (
        formatting.pct(0.8745) == "87.5%" and formatting.pct(None) == "—" and formatting.pct(0.05, 0) == "5%"
    )
    frame = pl.DataFrame({"rate": [0.8746, None]})
    assert frame.select(formatting.pct_expr("rate"))["rate"].to_list() == ["87.5%", "—"]
    assert formatting.percent(frame, "rate", "absent")["rate"].round(2).to_list() == [87.46, None]


def test_changes_arrows_and_dashes():
    assert [formatting.arrow(c) for c in (3, -2, 0, None)] == ["▲ 3", "▼ 2", "—", "—"]
    assert [formatting.signed(v) for v in (0.0123, -0.004, 0.0002, None)] == ["+0.012", "-0.004", "0", "—"]
    assert formatting.change(0.9, 0.85, "%") == ("▲ 5.0pt", "up")
    assert formatting.change(90, 100, "件") == ("▼ 10%", "down")
    assert formatting.change(5, 0, "件") == ("▲ 5", "up")
    assert formatting.change(None, 3, "件") == ("—", "flat") and formatting.change(3, 3, "件") == (
        "■ 0%",
        "flat",
    )
    assert (
        formatting.score(None) == "—"
        and formatting.score(0.81234) == "0.812"
        and formatting.count(12345.4) == "12,345"
    )
