-- Every street has a rank in every month and every quarter.
with expected as (
    select s.street_code, p.period_type, p.period_start
    from {{ ref('dim_streets') }} as s
    cross join {{ ref('int_periods_enumerated') }} as p
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
