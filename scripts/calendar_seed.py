"""Write ``seeds/work_calendar.csv``: the Chinese working calendar the warehouse counts deadlines on.

``python scripts/calendar_seed.py [--out FILE] [--first-year 2020] [--last-year 2030]``

Public holidays (法定节假日) and their make-up workdays (调休上班) come from the
``chinese-calendar`` package for every year it covers (the State Council
publishes each year's schedule in November of the year before). Years after
its last covered year are written weekends-only — Monday to Friday are
workdays, no holidays — and a warning names them: update the package and run
this again once the schedule is published.

Columns: ``date`` (YYYY-MM-DD), ``is_workday``, ``is_holiday``, ``holiday_name``
(Chinese; on a make-up workday the holiday it makes up for, suffixed 调休上班),
``is_makeup_workday`` (a Saturday or Sunday that is a workday).
"""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar

SEED_PATH = Path(__file__).resolve().parents[1] / "seeds" / "work_calendar.csv"
FIRST_YEAR = 2020
LAST_YEAR = 2030
COLUMNS = ["date", "is_workday", "is_holiday", "holiday_name", "is_makeup_workday"]

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def covered_years() -> tuple[int, int]:
    """First and last year chinese-calendar knows the holiday schedule of."""
    years = {d.year for d in chinese_calendar.holidays}
    return min(years), max(years)


def calendar_rows(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> tuple[list[dict], list[int]]:
    """One row per day of ``first_year``..``last_year``, and the years written weekends-only."""
    lo, hi = covered_years()
    rows, fallback = [], sorted({y for y in range(first_year, last_year + 1) if not lo <= y <= hi})
    day = date(first_year, 1, 1)
    while day.year <= last_year:
        weekend = day.weekday() >= 5
        if day.year in fallback:
            workday, holiday, name = not weekend, False, ""
        else:
            workday = chinese_calendar.is_workday(day)
            is_holiday_period, english = chinese_calendar.get_holiday_detail(day)
            holiday = bool(english) and not workday
            name = HOLIDAY_NAMES.get(english, english or "") if english else ""
            if workday and weekend and name:
                name = f"{name}调休上班"
            elif not holiday and not (workday and weekend):
                name = ""
        rows.append(
            {
                "date": day.isoformat(),
                "is_workday": str(workday).lower(),
                "is_holiday": str(holiday).lower(),
                "holiday_name": name,
                "is_makeup_workday": str(workday and weekend).lower(),
            }
        )
        day += timedelta(days=1)
    return rows, fallback


def write_seed(path: Path = SEED_PATH, first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> list[int]:
    rows, fallback = calendar_rows(first_year, last_year)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return fallback


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python scripts/calendar_seed.py", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--out", type=Path, default=SEED_PATH, help=f"CSV to write (default {SEED_PATH})")
    parser.add_argument("--first-year", type=int, default=FIRST_YEAR)
    parser.add_argument("--last-year", type=int, default=LAST_YEAR)
    args = parser.parse_args(argv)
    if args.first_year > args.last_year:
        parser.error("--first-year is after --last-year")
    fallback = write_seed(args.out, args.first_year, args.last_year)
    lo, hi = covered_years()
    print(
        f"wrote {args.out} ({args.first_year}-{args.last_year}; holidays and 调休 from chinese-calendar "
        f"{chinese_calendar.__version__}, which covers {lo}-{hi})"
    )
    if fallback:
        years = ", ".join(str(y) for y in fallback)
        print(
            f"warning: no official holiday schedule for {years}: written weekends-only "
            "(Mon-Fri workdays, no public holidays, no 调休). Update chinese-calendar and run this again.",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
