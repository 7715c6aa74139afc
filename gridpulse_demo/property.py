"""物业服务考评: quarterly item scores per project, and the published 红/黑榜.

The published list follows the active rule of seeds/property_list_rule.csv
(the rule the warehouse recomputes), except in one or two rows per quarter,
recorded in the manifest's truth.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import numpy as np

from . import names
from .calendar import minute_of
from .reference import ListRule
from .rng import logistic, stream
from .schema import PROPERTY_ASSESSMENTS, ExportFile
from .world import World

COMPANIES, PROJECTS = 71, 216
ITEMS = (
    ("综合管理", 15),
    ("房屋管理", 15),
    ("共用设施设备", 15),
    ("秩序维护", 15),
    ("环境卫生", 15),
    ("绿化养护", 10),
    ("群众满意度", 15),
)
KIND_WEIGHT = {"商品房": 1.0, "保障房": 0.8, "单位宿舍": 0.4, "老旧小区": 0.35}
KIND_EFFECT = {"商品房": 0.0, "保障房": -0.2, "单位宿舍": -0.3, "老旧小区": -0.6}
VETOES = ("重大安全事故", "群体投诉")
REASONS = {
    "综合管理": ("服务台账不全", "未按规定公示收费标准", "人员未持证上岗"),
    "房屋管理": ("外墙渗水未及时处理", "楼道墙面破损", "违规装修巡查不到位"),
    "共用设施设备": ("电梯维保记录缺失", "消防设施维护不到位", "二次供水清洗不及时"),
    "秩序维护": ("门岗值守不到位", "车辆停放秩序混乱", "巡逻记录缺失"),
    "环境卫生": ("楼道堆物清理不及时", "垃圾分类投放点脏乱", "化粪池清掏不及时"),
    "绿化养护": ("绿地黄土裸露", "树木修剪不及时"),
    "群众满意度": ("业主投诉较多", "报修响应慢"),
}


def _labels(
    total: np.ndarray, street: np.ndarray, veto: np.ndarray, names_: list[str], rule: ListRule
) -> list[str]:
    """红榜 / 黑榜 / '' per row by ``rule``, as the warehouse recomputes it: a 一票否决 is 黑榜 (if the rule says
    so) and never 红榜; then the top N per street, then the bottom N city-wide; ties at a cut-off all listed
    unless ties_split (then by project name)."""
    n = len(total)
    by_name = np.empty(n, dtype=np.int64)
    by_name[np.argsort(np.array(names_), kind="stable")] = np.arange(n)

    def top(candidates: np.ndarray, k: int, best_high: bool) -> set[int]:
        idx = np.flatnonzero(candidates)
        score = total[idx] if best_high else -total[idx]
        if rule.ties_split:
            return set(idx[np.lexsort((by_name[idx], -score))[:k]].tolist())
        return {int(i) for i, s in zip(idx, score, strict=True) if (score > s).sum() < k}

    vetoed = veto & rule.veto_forces_black
    red_ok = ~veto & (total >= rule.red_min_score if rule.red_min_score is not None else True)
    red: set[int] = set()
    for s in np.unique(street).tolist():
        red |= top(red_ok & (street == s), rule.red_top_n, True)
    black_ok = ~vetoed & (total < rule.black_max_score if rule.black_max_score is not None else True)
    black = top(black_ok, rule.black_bottom_n, False)
    return ["黑榜" if vetoed[i] else "红榜" if i in red else "黑榜" if i in black else "" for i in range(n)]


def exports(world: World, truth: dict) -> Iterator[ExportFile]:
    rng = stream(world.seed, "property")
    city, rule = world.city, world.reference.list_rule
    company = names.unique(rng, names.property_company, COMPANIES)
    codes = names.unique(rng, lambda r: names.credit_code(r), COMPANIES)
    quality = rng.normal(0, 1, COMPANIES)
    trend = rng.normal(0, 0.15, COMPANIES)
    kinds = [c.kind for c in city.compounds]
    w = np.array([KIND_WEIGHT[k] for k in kinds])
    project = np.sort(rng.choice(len(kinds), PROJECTS, replace=False, p=w / w.sum()))
    owner = np.concatenate(
        [
            rng.permutation(COMPANIES),
            rng.choice(COMPANIES, PROJECTS - COMPANIES, p=(s := rng.lognormal(0, 1, COMPANIES)) / s.sum()),
        ]
    )
    owner = owner[rng.permutation(PROJECTS)]
    effect = rng.normal(0, 0.5, PROJECTS) + np.array([KIND_EFFECT[kinds[p]] for p in project])
    comp = [city.compounds[p] for p in project]
    street = np.array([int(city.grid_street[c.grid]) for c in comp])
    order = np.lexsort(
        (np.array([c.name for c in comp]), owner, np.array([int(city.grid_community[c.grid]) for c in comp]))
    )
    disagreements, vetoes, listed = [], [], {}
    for qi, (year, q, _first, last) in enumerate(world.period.quarters()):
        period_name = f"{year}年第{q}季度"
        latent = (
            0.75 * quality[owner]
            + effect
            + trend[owner] * qi
            + rng.normal(0, 0.15)
            + rng.normal(0, 0.35, PROJECTS)
        )
        halves = np.zeros((PROJECTS, len(ITEMS)), dtype=np.int64)  # scores in half points
        for k, (_item, top_score) in enumerate(ITEMS):
            ratio = logistic(1.75 + 0.5 * latent + rng.normal(0, 0.3, PROJECTS))
            halves[:, k] = np.clip(np.round(ratio * top_score * 2), top_score * 0.8, top_score * 2)
        total = halves.sum(1) / 2
        veto = np.zeros(PROJECTS, dtype=bool)
        middle = np.flatnonzero((total > np.quantile(total, 0.3)) & (total < np.quantile(total, 0.7)))
        n_veto = int(rng.choice([0, 1, 1, 2])) if qi else max(1, int(rng.choice([0, 1, 1, 2])))
        veto[rng.choice(middle, min(n_veto, len(middle)), replace=False)] = True
        veto_kind = rng.integers(0, len(VETOES), PROJECTS)
        computed = _labels(total, street, veto, [c.name for c in comp], rule)
        published = _disagree(rng, computed, total, street, veto)
        rows = []
        for i in order.tolist():
            notes = []
            for k, (item, top_score) in enumerate(ITEMS):
                lost = top_score - halves[i, k] / 2
                if lost >= 1.5:
                    reason = REASONS[item][int(rng.integers(len(REASONS[item])))]
                    notes.append(f"{item}扣{lost:g}分：{reason}")
            c = comp[i]
            rows.append(
                [
                    period_name,
                    company[owner[i]],
                    codes[owner[i]],
                    c.name,
                    city.streets[int(street[i])].name,
                    city.communities[int(city.grid_community[c.grid])].name,
                    *[f"{h / 2:g}" for h in halves[i].tolist()],
                    f"{total[i]:g}",
                    "；".join(notes),
                    VETOES[int(veto_kind[i])] if veto[i] else "",
                    published[i],
                ]
            )
            if computed[i] != published[i]:
                disagreements.append(
                    {
                        "考评期次": period_name,
                        "统一社会信用代码": codes[owner[i]],
                        "项目名称": c.name,
                        "rule": computed[i],
                        "published": published[i],
                    }
                )
            if veto[i]:
                vetoes.append(
                    {"考评期次": period_name, "项目名称": c.name, "一票否决": VETOES[int(veto_kind[i])]}
                )
        listed[period_name] = {"红榜": published.count("红榜"), "黑榜": published.count("黑榜")}
        exported = min(last + timedelta(days=1), world.period.end)
        yield ExportFile(
            f"物业考评/物业考评_{year}Q{q}.xlsx",
            PROPERTY_ASSESSMENTS,
            "xlsx",
            None,
            rows,
            minute_of(exported),
        )
    truth["property"] = {
        "companies": COMPANIES,
        "projects": PROJECTS,
        "rule": {
            "source": "seeds/property_list_rule.csv",
            "rule_id": rule.rule_id,
            "description": rule.description,
        },
        "published_counts": listed,
        "rule_disagreements": disagreements,
        "vetoes": vetoes,
    }


def _disagree(
    rng: np.random.Generator, computed: list[str], total: np.ndarray, street: np.ndarray, veto: np.ndarray
) -> list[str]:
    """The published list: the rule's, with one or two rows changed."""
    published = list(computed)
    blank = np.array([c == "" for c in computed]) & ~veto
    options = []
    red = [i for i, c in enumerate(computed) if c == "红榜"]
    black = [i for i, c in enumerate(computed) if c == "黑榜" and not veto[i]]
    if red:
        options.append((red[int(rng.integers(len(red)))], ""))  # a deserving project left off the 红榜
    if blank.any():
        s = int(rng.integers(street.max() + 1))
        pool = (
            np.flatnonzero(blank & (street == s)) if (blank & (street == s)).any() else np.flatnonzero(blank)
        )
        options.append((int(pool[np.argmax(total[pool])]), "红榜"))  # the runner-up published as 红榜
        options.append((int(np.flatnonzero(blank)[np.argmin(total[blank])]), "黑榜"))  # one more on the 黑榜
    if black:
        options.append((black[int(rng.integers(len(black)))], ""))  # a poor performer spared
    for k in rng.permutation(len(options))[: int(rng.integers(1, 3))].tolist():
        i, label = options[k]
        published[i] = label
    return published
