"""Personal data stays masked: a phone's pseudonym cannot be brute-forced from what the data home lets others
read, the key is owner-only and outside the lake, and quarantined rows are masked in every field."""

from __future__ import annotations

import hashlib
import hmac
import json
import stat

import duckdb
import pytest

from tests.exports import GRID_EVENT_HEADERS, grid_event, write_csv
from warehouse.home.paths import DataHome
from warehouse.ingest.load import load
from warehouse.ingest.pseudonyms import key_path

PHONE = "19012349113"


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def readable_by_others(home: DataHome) -> list:
    """Files other users of the machine can read (every folder on the way searchable), landing aside."""
    found = []
    for path in sorted(home.root.rglob("*")):
        if not path.is_file() or path.is_relative_to(home.landing):
            continue
        folders = [p for p in path.relative_to(home.root).parents if str(p) != "."]
        if mode(path) & 0o004 and all(mode(home.root / p) & 0o001 for p in folders):
            found.append(path)
    return found


def brute_force(masked: str, pseudonym: str, keys: list[bytes]) -> list[str]:
    """Every full number that fits the mask and gives the pseudonym under one of ``keys`` (or none)."""
    hits = []
    for i in range(10_000):
        candidate = f"{masked[:3]}{i:04d}{masked[-4:]}".encode()
        for key in [b"", *keys]:
            guesses = (
                hashlib.sha256(key + candidate).hexdigest(),
                hmac.new(key, candidate, "sha256").hexdigest(),
            )
            if pseudonym in (g[:16] for g in guesses):
                hits.append(candidate.decode())
    return hits


@pytest.fixture
def loaded(tmp_path):
    home = DataHome(tmp_path / "home")
    (home.root).mkdir()
    (home.root / ".salt").write_text("00112233445566778899aabbccddeeff")  # what earlier versions left behind
    write_csv(
        home.landing / "events.csv", GRID_EVENT_HEADERS, [grid_event("SJ1", 联系电话=PHONE, 上报人="王小明")]
    )
    load(home)
    return home


def test_a_phone_pseudonym_is_not_brute_forced_from_what_others_can_read(loaded):
    home = loaded
    con = duckdb.connect()
    masked, pseudonym = con.execute(
        f"select reporter_phone, reporter_phone_hash from read_parquet('{home.lake_parts('grid', 'events')}', union_by_name = true)"
    ).fetchone()
    assert masked == "190****9113" and len(pseudonym) == 16
    # the attacker has a copy of the lake (the dashboard reads it) and whatever the data home lets others read
    readable = [p for p in home.lake.rglob("*") if p.is_file()] + readable_by_others(home)
    keys = [p.read_bytes().strip() for p in readable if p.stat().st_size <= 4096]
    keys += [bytes.fromhex(k.decode()) for k in keys if len(k) % 2 == 0 and k.isalnum()]
    assert brute_force(masked, pseudonym, keys) == []
    # the attack itself works: with the owner's key it finds the number at once
    key = bytes.fromhex(key_path(home).read_text())
    assert brute_force(masked, pseudonym, [key]) == [PHONE]


def test_the_key_is_owner_only_and_outside_the_lake(loaded):
    key = key_path(loaded)
    assert mode(key) == 0o600 and mode(key.parent) == 0o700
    assert not key.resolve().is_relative_to(loaded.lake.resolve())
    assert not (loaded.root / ".salt").exists(), "the world-readable salt of earlier versions is removed"
    assert mode(loaded.root / "lake.d") == 0o700, "the lake (masked data, quarantined rows) is owner-only"


def test_a_key_named_outside_the_data_home_is_used(tmp_path, monkeypatch):
    monkeypatch.setenv("GRIDPULSE_KEY_FILE", str(tmp_path / "vault" / "gridpulse.key"))
    home = DataHome(tmp_path / "home")
    write_csv(home.landing / "events.csv", GRID_EVENT_HEADERS, [grid_event("SJ1", 联系电话=PHONE)])
    load(home)
    key = bytes.fromhex((tmp_path / "vault" / "gridpulse.key").read_text())
    expected = hmac.new(key, PHONE.encode(), "sha256").hexdigest()[:16]
    con = duckdb.connect()
    assert con.execute(
        f"select reporter_phone_hash from read_parquet('{home.lake_parts('grid', 'events')}', union_by_name = true)"
    ).fetchone() == (expected,)
    assert not (home.root / "secrets").exists()


ID_NUMBER = "110101199003071234"


def test_quarantined_rows_are_masked_in_every_field(tmp_path):
    home = DataHome(tmp_path / "home")
    description = f"居民王小明反映，身份证{ID_NUMBER}，电话13912345678"
    good = grid_event("SJ1", 上报人="王小明", 联系电话="13812345678", 事件描述=description)
    bad_time = grid_event(
        "SJ2", 上报人="王小明", 联系电话="13812345678", 上报时间="yesterday", 事件描述=description
    )
    lines = [",".join(GRID_EVENT_HEADERS), ",".join(good), ",".join(bad_time)]
    # fields slid one place by an unquoted comma: the name and ID number where no mask is expected
    slid = grid_event("SJ3", 上报人="王小明", 联系电话="13812345678", 事件描述=f"王小明,{ID_NUMBER}")
    # a malformed line, kept as raw text: two fields too many
    broken = grid_event(
        "SJ4", 上报人="王小明", 联系电话="13812345678", 事件描述=f"王小明,{ID_NUMBER},x", 满意度="满意"
    )
    lines += [",".join(slid), ",".join(broken)]
    (home.landing).mkdir(parents=True)
    (home.landing / "events.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = load(home)
    assert [(f.rows_accepted, f.rows_quarantined) for f in report.files] == [(1, 3)]
    con = duckdb.connect()
    rows = con.execute(
        f"select reason, detail, record from read_parquet('{home.quarantine}/*/*/*.parquet') order by source_row"
    ).fetchall()
    assert [r[0] for r in rows] == ["bad_timestamp", "unknown_value", "malformed_line"]
    text = json.dumps(rows, ensure_ascii=False)
    for secret in ("王小明", "小明", "12345678", "19900307", ID_NUMBER[4:16], "1234567"):
        assert secret not in text, (secret, text)
    assert "王**" in text and "138****5678" in text


def test_the_workbench_store_is_owner_only(tmp_path):
    from warehouse.sandbox.workbench_store import WorkbenchStore

    store = WorkbenchStore(tmp_path / "workbench.db")
    store.record("select '13812345678'", "ok", rows=1, seconds=0.1)
    assert (tmp_path / "workbench.db").stat().st_mode & 0o077 == 0
