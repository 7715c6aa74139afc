"""Profiles: every built-in parses; a file's profile is chosen by its headers."""

import pytest

from tests.exports import GRID_EVENT_HEADERS
from warehouse.ingest.profile import (
    HeaderMatch,
    ProfileError,
    builtin_profiles,
    choose_profile,
    normalize_header,
    parse_profile,
)


def test_builtin_profiles_cover_every_lake_table():
    tables = {p.table for p in builtin_profiles()}
    assert tables == {
        "divisions/areas",
        "grid/events",
        "platform/cases",
        "platform/workflow",
        "platform/devices",
        "party/units",
        "party/members",
        "party/activities",
        "property/assessments",
    }


def test_header_normalisation():
    assert normalize_header(" 服务时长（小时） ") == normalize_header("服务时长(小时)")
    assert normalize_header("Unique Key") == "uniquekey"


def test_grid_event_headers_choose_grid_profile():
    match = choose_profile(GRID_EVENT_HEADERS, builtin_profiles())
    assert isinstance(match, HeaderMatch) and match.profile.name == "grid_events"
    assert match.positions["event_id"] == 0


def test_aliases_and_column_order_do_not_matter():
    headers = ["备注", "操作时间", "处理部门", "流程节点", "案卷号"]
    match = choose_profile(headers, builtin_profiles())
    assert isinstance(match, HeaderMatch) and match.profile.name == "platform_workflow"
    assert match.positions == {"case_id": 4, "action": 3, "action_at": 1, "department_name": 2, "note": 0}


def test_missing_required_column_is_named():
    headers = [h for h in GRID_EVENT_HEADERS if h != "上报时间"]
    reason = choose_profile(headers, builtin_profiles())
    assert isinstance(reason, str) and "上报时间" in reason and "grid_events" in reason


def test_unknown_headers_are_reported():
    reason = choose_profile(["foo", "bar", "baz"], builtin_profiles())
    assert isinstance(reason, str) and reason.startswith("unknown headers")


def test_invalid_profiles_are_refused_with_reasons():
    base = {
        "name": "x",
        "source": "s",
        "entity": "e",
        "key": ["id"],
        "columns": {"id": {"headers": ["编号"]}},
    }
    parse_profile(base)
    with pytest.raises(ProfileError, match="key column"):
        parse_profile({**base, "key": ["nope"]})
    with pytest.raises(ProfileError, match="unknown type"):
        parse_profile({**base, "columns": {"id": {"type": "money"}}})
    with pytest.raises(ProfileError, match="missing 'source'"):
        parse_profile({k: v for k, v in base.items() if k != "source"})


def test_normalize_rules_and_the_no_deadline_rule_are_read_and_checked():
    spec = {
        "name": "x",
        "source": "platform",
        "entity": "cases",
        "key": ["case_id"],
        "columns": {
            "case_id": {"headers": ["id"]},
            "community_name": {
                "headers": ["ward"],
                "normalize": [{"pattern": "0*([0-9]+)", "to": r"Ward \1"}],
            },
        },
    }
    profile = parse_profile(spec)
    assert profile.columns["community_name"].normalize == (("0*([0-9]+)", r"Ward \1"),)
    assert profile.no_deadline == "on_time"  # BRIEF §4: closed without a deadline = on time
    assert parse_profile(spec | {"no_deadline": "unknown"}).no_deadline == "unknown"
    with pytest.raises(ProfileError, match="no_deadline"):
        parse_profile(spec | {"no_deadline": "late"})
    bad = {
        **spec,
        "columns": {**spec["columns"], "ward": {"normalize": [{"pattern": "(unclosed", "to": "x"}]}},
    }
    with pytest.raises(ProfileError, match="not a regular expression"):
        parse_profile(bad)
    with pytest.raises(ProfileError, match="normalize"):
        parse_profile({**spec, "columns": {**spec["columns"], "ward": {"normalize": ["Ward 3"]}}})
