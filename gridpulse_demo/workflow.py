"""The life of a platform case, as its workflow log records it.

上报 → 受理 → 立案 → 派遣 → 处置反馈 → 核查通过 → 结案, with 核查不通过 rework
loops, 延期申请/延期批准, 回退 and re-dispatch, 作废 after 受理 or 立案, and cases
that stay open for months. Deadlines come from the category × urgency table
(from 立案; extended by one more deadline on 延期批准). Departments differ in how
often they make the deadline, how often their work fails the check and how
often a case gets stuck with them; streets differ too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .rng import logistic
from .world import World

ACTIONS = (
    "上报",
    "受理",
    "立案",
    "派遣",
    "处置反馈",
    "核查通过",
    "核查不通过",
    "结案",
    "作废",
    "延期申请",
    "延期批准",
    "回退",
)
(REPORT, ACCEPT, FILE, DISPATCH, FEEDBACK, PASS, FAIL, CLOSE, VOID, EXT_ASK, EXT_OK, ROLLBACK) = range(12)
COMMAND, HOTLINE = "BM01", "BM02"

# Generator-only knowledge: how each department works (on-time probability, rework and stuck multipliers).
DEPARTMENT_STYLE = {
    "BM03": (0.90, 0.8, 0.8),
    "BM04": (0.70, 2.0, 2.0),
    "BM05": (0.84, 1.0, 1.0),
    "BM06": (0.76, 1.6, 1.3),
    "BM07": (0.88, 0.8, 0.8),
    "BM08": (0.94, 0.5, 0.5),
    "BM09": (0.80, 1.2, 1.0),
    "BM10": (0.86, 0.9, 0.9),
    "BM11": (0.95, 0.5, 0.4),
    "BM12": (0.85, 1.0, 1.0),
    "BM13": (0.74, 1.4, 1.2),
    "BM14": (0.91, 0.7, 0.6),
    "BM15": (0.62, 2.5, 1.8),
    "BM16": (0.90, 0.8, 0.7),
    "BM17": (0.66, 1.8, 2.5),
}
STREET_EFFECT = (0.45, 0.15, 0.0, -0.25, -0.5)  # logit shift of making the deadline, shuffled over streets

VOID_AFTER_ACCEPT, VOID_AFTER_FILE = 0.012, 0.008
ROLLBACK_RATE, EXTENSION_RATE = 0.015, 0.03
REWORK_RATE, SECOND_LOOP = 0.014, 0.15
STUCK_RATE, NEVER_CLOSED = 0.065, 0.65

FEEDBACK_NOTES = (
    "已处置完毕",
    "已整改到位",
    "已清理完毕",
    "已维修恢复",
    "已现场处置并拍照反馈",
    "已劝离并恢复现场",
)
VOID_ACCEPT_NOTES = ("重复上报", "不属于受理范围", "信息不全无法核实")
VOID_FILE_NOTES = ("经核实问题不存在", "问题已自行消除")
EXTENSION_REASONS = ("需采购配件", "需协调产权单位", "施工条件受限", "涉及多部门协调", "需等待天气条件")
REPORT_NOTES = {
    "视频智能识别": "视频智能识别告警",
    "物联感知": "物联设备告警",
    "信息采集员": "监督员巡查上报",
    "无人机巡查": "无人机巡查发现",
    "12345热线": "12345热线转办",
    "公众上报": "市民随手拍上报",
}


@dataclass
class Log:
    """Workflow actions sorted by (time, case, step), plus per-case outcomes for the manifest's truth."""

    case: np.ndarray
    action: np.ndarray
    time: np.ndarray
    department: np.ndarray  # index into World.reference.departments
    note: list[str]
    closed_at: np.ndarray  # -1 if never closed
    voided_at: np.ndarray
    deadline: np.ndarray  # after any extension
    rework_loops: np.ndarray
    extended: np.ndarray
    rolled_back: np.ndarray
    final_department: np.ndarray


def _lognormal(
    rng: np.random.Generator, median: float, sigma: float, n: int, lo: float, hi: float
) -> np.ndarray:
    return np.clip(np.round(rng.lognormal(np.log(median), sigma, n)), lo, hi).astype(np.int64)


def simulate(
    world: World,
    rng: np.random.Generator,
    t0: np.ndarray,
    sources: list[str],
    source: np.ndarray,
    category: np.ndarray,
    urgency: np.ndarray,
    department: np.ndarray,
    street: np.ndarray,
) -> Log:
    ref = world.reference
    n = len(t0)
    dept_codes = [d.code for d in ref.departments]
    dept_of = {c: i for i, c in enumerate(dept_codes)}
    handlers = np.array([dept_of[c] for c in DEPARTMENT_STYLE])
    style = np.zeros((len(dept_codes), 3))
    for code, values in DEPARTMENT_STYLE.items():
        style[dept_of[code]] = values
    street_effect = rng.permutation(np.array(STREET_EFFECT))

    src_name = np.array(sources)[source]
    automatic = np.isin(src_name, ["视频智能识别", "物联感知"])
    accept = t0 + np.where(automatic, _lognormal(rng, 5, 0.7, n, 1, 120), _lognormal(rng, 12, 0.8, n, 1, 240))
    void_draw = rng.random(n)
    void_accept = void_draw < VOID_AFTER_ACCEPT
    void_file = (void_draw >= VOID_AFTER_ACCEPT) & (void_draw < VOID_AFTER_ACCEPT + VOID_AFTER_FILE)
    filed = accept + _lognormal(rng, 12, 0.7, n, 1, 360)
    dispatch1 = filed + _lognormal(rng, 8, 0.7, n, 1, 240)

    deadlines = np.array([[c.deadlines[u][0] for u in range(3)] for c in ref.case_categories])
    in_hours = np.array([[c.deadlines[u][1] == "hours" for u in range(3)] for c in ref.case_categories])
    value = deadlines[category, urgency]
    hours = in_hours[category, urgency]
    deadline = np.where(hours, filed + value * 60, world.workdays.add(filed, value))
    dlen = np.maximum(deadline - filed, 60)

    live = ~(void_accept | void_file)
    rolled = live & (rng.random(n) < ROLLBACK_RATE)
    rollback = dispatch1 + np.maximum(1, np.minimum(rng.uniform(15, 240, n), 0.3 * dlen)).astype(np.int64)
    dispatch2 = rollback + rng.integers(10, 90, n)
    other = handlers[rng.integers(0, len(handlers), n)]
    other = np.where(
        other == department, handlers[(np.searchsorted(handlers, department) + 1) % len(handlers)], other
    )
    final_dept = np.where(rolled, other, department)
    dispatch = np.where(rolled, dispatch2, dispatch1)

    extended = live & (rng.random(n) < EXTENSION_RATE)
    deadline_ext = np.where(
        extended, np.where(hours, deadline + value * 60, world.workdays.add(deadline, value)), deadline
    )
    on_p, rework_mult, stuck_mult = style[final_dept, 0], style[final_dept, 1], style[final_dept, 2]
    logit = np.log(on_p / (1 - on_p)) + street_effect[street] + 0.3 * (urgency == 2) + 0.8 * extended
    on_time = rng.random(n) < logistic(logit)
    stuck = live & (rng.random(n) < STUCK_RATE * stuck_mult)
    never = stuck & (rng.random(n) < NEVER_CLOSED)

    budget = np.maximum(deadline_ext - dispatch, 1).astype(float)
    verify = np.where(hours, _lognormal(rng, 15, 0.6, n, 3, 120), _lognormal(rng, 60, 0.8, n, 5, 600))
    close_gap = _lognormal(rng, 10, 0.7, n, 1, 240)
    avail = 0.85 * budget
    verify_on = np.maximum(1, np.minimum(verify, 0.3 * avail)).astype(np.int64)
    close_on = np.maximum(1, np.minimum(close_gap, 0.1 * avail)).astype(np.int64)
    good = on_p >= 0.88
    frac = np.where(good, rng.uniform(0.1, 0.6, n), rng.uniform(0.2, 0.95, n))
    work_on = np.maximum(1, frac * (avail - verify_on - close_on)).astype(np.int64)
    work_late = (budget + dlen * rng.lognormal(np.log(0.35), 0.8, n) + 30).astype(np.int64)
    work_stuck = (budget + 1440 * 30 * rng.lognormal(np.log(2.5), 0.8, n)).astype(np.int64)
    work = np.where(stuck, work_stuck, np.where(on_time, work_on, work_late))
    verify = np.where(on_time & ~stuck, verify_on, verify)
    close_gap = np.where(on_time & ~stuck, close_on, close_gap)
    work = np.where(extended, np.maximum(work, 120), work)
    feedback1 = dispatch + work
    ext_ask = dispatch + np.maximum(1, work * 3 // 10)
    ext_ok = ext_ask + np.clip(rng.integers(30, 600, n), 1, np.maximum(1, work // 2))

    finished = live & ~never
    loops = np.where(
        finished & (rng.random(n) < REWORK_RATE * rework_mult), 1 + (rng.random(n) < SECOND_LOOP), 0
    )
    fail1 = feedback1 + verify
    feedback2 = fail1 + np.maximum(30, rng.uniform(0.2, 0.8, n) * dlen).astype(np.int64)
    fail2 = feedback2 + _lognormal(rng, 40, 0.7, n, 3, 600)
    feedback3 = fail2 + np.maximum(30, rng.uniform(0.2, 0.8, n) * dlen).astype(np.int64)
    last_feedback = np.select([loops == 2, loops == 1], [feedback3, feedback2], feedback1)
    passed = last_feedback + _lognormal(rng, 30, 0.7, n, 3, 600)
    passed = np.where(loops == 0, feedback1 + verify, passed)
    closed = passed + close_gap
    void_at = np.where(
        void_accept,
        accept + _lognormal(rng, 40, 0.8, n, 1, 1440),
        filed + _lognormal(rng, 240, 0.9, n, 1, 4320),
    )

    command, hotline = dept_of[COMMAND], dept_of[HOTLINE]
    notes: list[str] = []
    note_id: dict[str, int] = {}

    def intern(texts: list[str]) -> np.ndarray:
        for t in texts:
            if t not in note_id:
                note_id[t] = len(notes)
                notes.append(t)
        return np.array([note_id[t] for t in texts], dtype=np.int64)

    report_note = intern([REPORT_NOTES[s] for s in sources])[source]
    dispatch_note = intern([f"派遣至{d.name}" for d in ref.departments])
    feedback_note = intern(list(FEEDBACK_NOTES))
    ext_idx = np.flatnonzero(extended)
    ext_text = [
        f"申请延期{value[i]}{'小时' if hours[i] else '个工作日'}：{EXTENSION_REASONS[int(r)]}"
        for i, r in zip(
            ext_idx.tolist(), rng.integers(0, len(EXTENSION_REASONS), len(ext_idx)).tolist(), strict=True
        )
    ]
    ext_note = np.zeros(n, dtype=np.int64)
    ext_note[ext_idx] = intern(ext_text) if len(ext_idx) else []
    void_note = np.where(
        void_accept,
        intern(list(VOID_ACCEPT_NOTES))[rng.integers(0, 3, n)],
        intern(list(VOID_FILE_NOTES))[rng.integers(0, 2, n)],
    )
    fixed = {
        k: int(intern([t])[0])
        for k, t in (
            ("accept", "已受理"),
            ("file", "符合立案条件，予以立案"),
            ("pass", "现场核查已处置到位"),
            ("fail", "现场核查未处置到位，退回重新处置"),
            ("close", "按流程结案"),
            ("ext_ok", "同意延期"),
            ("rollback", "非本单位职责，申请回退"),
        )
    }

    all_cases = np.arange(n)
    parts: list[tuple[np.ndarray, int, np.ndarray, np.ndarray, np.ndarray]] = []

    def add(
        mask: np.ndarray, action: int, time: np.ndarray, dept: np.ndarray | int, note: np.ndarray | int
    ) -> None:
        idx = all_cases[mask]
        parts.append(
            (idx, action, time[idx], np.broadcast_to(dept, (n,))[idx], np.broadcast_to(note, (n,))[idx])
        )

    everyone = np.ones(n, dtype=bool)
    reporter = np.where(src_name == "12345热线", hotline, command)
    feedback_pick = feedback_note[rng.integers(0, len(feedback_note), (3, n))]
    add(everyone, REPORT, t0, reporter, report_note)
    add(everyone, ACCEPT, accept, command, fixed["accept"])
    add(void_accept, VOID, void_at, command, void_note)
    add(~void_accept, FILE, filed, command, fixed["file"])
    add(void_file, VOID, void_at, command, void_note)
    add(live, DISPATCH, dispatch1, command, dispatch_note[department])
    add(rolled, ROLLBACK, rollback, department, fixed["rollback"])
    add(rolled, DISPATCH, dispatch2, command, dispatch_note[other])
    add(extended, EXT_ASK, ext_ask, final_dept, ext_note)
    add(extended, EXT_OK, ext_ok, command, fixed["ext_ok"])
    add(finished, FEEDBACK, feedback1, final_dept, feedback_pick[0])
    add(loops >= 1, FAIL, fail1, command, fixed["fail"])
    add(loops >= 1, FEEDBACK, feedback2, final_dept, feedback_pick[1])
    add(loops >= 2, FAIL, fail2, command, fixed["fail"])
    add(loops >= 2, FEEDBACK, feedback3, final_dept, feedback_pick[2])
    add(finished, PASS, passed, command, fixed["pass"])
    add(finished, CLOSE, closed, command, fixed["close"])

    # Narrow types: a year's actions at scale 30 are tens of millions of rows, all held at once here.
    case = np.concatenate([p[0] for p in parts]).astype(np.int32)
    action = np.concatenate([np.full(len(p[0]), p[1], dtype=np.int8) for p in parts])
    time = np.concatenate([p[2] for p in parts]).astype(np.int64)
    dept = np.concatenate([p[3] for p in parts]).astype(np.int16)
    note = np.concatenate([p[4] for p in parts]).astype(np.int32)
    step = np.concatenate([np.full(len(p[0]), k, dtype=np.int8) for k, p in enumerate(parts)])
    parts.clear()
    order = np.lexsort((step, case, time))
    return Log(
        case=case[order],
        action=action[order],
        time=time[order],
        department=dept[order],
        note=[notes[i] for i in note[order].tolist()],
        closed_at=np.where(finished, closed, -1),
        voided_at=np.where(live, -1, void_at),
        deadline=deadline_ext,
        rework_loops=loops,
        extended=extended,
        rolled_back=rolled,
        final_department=final_dept,
    )
