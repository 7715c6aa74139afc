-- Every street with anything to score in a month or quarter has a rank in it. A street with nothing to
-- score in a period (no case fell due, no event closed there — thin data, a city that loads only part of
-- its exports, a foreign export's division) is left unranked rather than failing the build; the 未划分
-- member is never ranked.
with expected as (
    select s.street_code, p.period_type, p.period_start
    from {{ ref('dim_streets') }} as s
    cross join {{ ref('int_periods_enumerated') }} as p
    where not s.is_unassigned
        and exists (
            select 1 from {{ ref('mart_street_ranking') }} as m
            where m.street_code = s.street_code and m.period_type = p.period_type
                and m.period_start = p.period_start and m.score is not null
        )
),
ranked as (
    select distinct street_code, period_type, period_start
    from {{ ref('mart_street_ranking') }}
    where composite_rank is not null
)
select e.*
from expected as e
left join ranked as r using (street_code, period_type, period_start)
where r.street_code is null
