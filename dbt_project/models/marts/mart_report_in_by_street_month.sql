-- 双报到 per month, per paired street and for the city (paired_street_code null): the units' roster,
-- the members reported in by the month end (报到率 = reported / roster), approved service hours (per
-- reported member) and the units without an approved activity. The 双报到 page's trend only reads a row.

with

units as (

    select * from {{ ref('int_party_units_by_period') }}
    where period_type = 'month'

),

summed as (

    select
        u.period_start as month_start,
        {{ any_non_null("u.period_label") }} as month_label,
        -- every unit counts twice: for its paired street, and for the city (paired_street_code null)
        case when scopes.is_by_street then u.paired_street_code end as paired_street_code,
        count(*) as units,
        sum(u.roster_members)::bigint as roster_members,
        sum(u.reported_members)::bigint as reported_members,
        sum(u.approved_hours)::double as approved_hours,
        count(*) filter (where u.approved_activities = 0) as zero_activity_units

    from units as u
    cross join (values (true), (false)) as scopes (is_by_street)
    -- a unit paired with no street is in the city's rows only
    where not scopes.is_by_street or u.paired_street_code is not null
    group by
        u.period_start,
        scopes.is_by_street,
        case when scopes.is_by_street then u.paired_street_code end

),

final as (

    select
        *,
        {{ safe_ratio('reported_members', 'roster_members') }} as report_in_rate,
        {{ safe_ratio('approved_hours', 'reported_members') }} as approved_hours_per_member

    from summed

)

select * from final
