"""Writers for small hand-made export files used by the loader tests."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import xlsxwriter

GRID_EVENT_HEADERS = (
    "事件编号,上报时间,上报渠道,上报人,联系电话,事件大类,事件小类,事件描述,所属街道,所属社区,网格编号,地址,"
    "经度,纬度,坐标系,紧急程度,处置层级,处置部门,当前状态,受理时间,派遣时间,办结时间,回访时间,是否联系,是否解决,满意度"
).split(",")


def grid_event(event_id: str, **values: str) -> list[str]:
    """A grid-event row with sensible defaults; keyword names are the Chinese headers."""
    row = dict.fromkeys(GRID_EVENT_HEADERS, "")
    row.update(
        {
            "事件编号": event_id,
            "上报时间": "2025-03-05 14:03:00",
            "上报渠道": "网格员巡查",
            "上报人": "张三",
            "联系电话": "13812345678",
            "事件大类": "环境卫生",
            "事件小类": "暴露垃圾",
            "所属街道": "澜北街道",
            "所属社区": "晨光社区",
            "网格编号": "990102001001001",
            "经度": "112.95",
            "纬度": "28.23",
            "坐标系": "WGS84",
            "紧急程度": "一般",
            "处置层级": "网格自办",
            "当前状态": "处置中",
        }
    )
    row.update(values)
    return [row[h] for h in GRID_EVENT_HEADERS]


def csv_bytes(headers: list[str], rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buf.getvalue().encode(encoding)


def write_csv(path: Path, headers: list[str], rows: list[list[str]], encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_bytes(headers, rows, encoding))
    return path


def write_xlsx(path: Path, headers: list[str], rows: list[list[object]], title: str | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("导出")
    r = 0
    if title:
        sheet.write_string(0, 0, title)
        r = 1
    sheet.write_row(r, 0, headers)
    for i, row in enumerate(rows, start=r + 1):
        for j, value in enumerate(row):
            if isinstance(value, int | float):
                sheet.write_number(i, j, value)
            elif value:
                sheet.write_string(i, j, str(value))
    book.close()
    return path
