"""Reports for the admin and the head of office: counts, times, SOP compliance, and the hall right now.

`compute` holds the definitions (docs/reports.md) and the full computation from every raw row
(`build_report_full`, the reference); `days` gives the same report from per-day summaries
(`build_report`, what the pages and exports use).
"""

from .compute import (
    MAX_DAYS,
    QUEUE_STEP_MINUTES,
    Report,
    Row,
    Share,
    Stats,
    build_report_full,
    disruption_rows,
    disruption_tables,
    parse_period,
    percentile,
    queue_series,
    report_csv,
    report_xlsx,
    tables,
)
from .days import build_report
from .live import live_dashboard

__all__ = [
    "MAX_DAYS",
    "QUEUE_STEP_MINUTES",
    "Report",
    "Row",
    "Share",
    "Stats",
    "build_report",
    "build_report_full",
    "disruption_rows",
    "disruption_tables",
    "live_dashboard",
    "parse_period",
    "percentile",
    "queue_series",
    "report_csv",
    "report_xlsx",
    "tables",
]
