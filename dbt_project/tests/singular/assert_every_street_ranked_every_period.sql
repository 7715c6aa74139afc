-- Every street has a rank in every month and every quarter. A street taken from a foreign export (no
-- boundary file) may have nothing to score in a period (no request fell due there); it is ranked
-- whenever any of its metrics has a score.
with expected as (
    select s.street_code, p.period_type, p.period_start
    from {{ ref('dim_streets') }} as s
    cross join {{ ref('int_periods_enumerated') }} as p
    where s.division_source = 'boundary_file'
        or exists (
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
