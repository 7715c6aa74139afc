-- Intake funnel: the cases reported in a period, by street, source and category, counted at every
-- stage they reached (a case that reached a later stage counts at every earlier one, so the counts
-- never grow down the stages), with the median and P90 of each stage-to-stage duration in hours
-- (durations the log contradicts are left out, see fct_platform_cases.timeline_issue).
-- Which stages a case reached is fct_case_stages' (its has_reached_* flags), which holds every case of
-- the schedule (cancelled or not, with or without a street); the left join never drops a reported case.

with

cases as (

    select * from {{ ref('int_platform_cases_scheduled') }}

),

periods as (

    select * from {{ ref('int_periods_enumerated') }}

),

stages as (

    select * from {{ ref('fct_case_stages') }}

),

reached as (

    select
        cases.*,
        stages.has_reached_accepted,
        stages.has_reached_filed,
        stages.has_reached_dispatched,
        stages.has_reached_disposed,
        stages.has_reached_verified,
        stages.has_reached_closed

    from cases
    left join stages on cases.case_id = stages.case_id

),

{% set durations = [
    ('report_to_accept', 'minutes_report_to_accept'),
    ('accept_to_file', 'minutes_accept_to_file'),
    ('file_to_dispatch', 'minutes_file_to_dispatch'),
    ('dispatch_to_dispose', 'minutes_dispatch_to_dispose'),
    ('dispose_to_verify', 'minutes_dispose_to_verify'),
    ('verify_to_close', 'minutes_verify_to_close'),
    ('report_to_close', 'minutes_report_to_close'),
] %}

final as (

    select
        p.period_type,
        p.period_start,
        p.period_label,
        r.street_code,
        {{ any_non_null("r.street_name") }} as street_name,
        r.source_channel,
        r.category_code,
        {{ any_non_null("r.problem_type") }} as problem_type,
        {{ any_non_null("r.category_major") }} as category_major,
        {{ any_non_null("r.category_minor") }} as category_minor,
        count(*) as reported_cases,
        count(*) filter (where r.has_reached_accepted) as accepted_cases,
        count(*) filter (where r.has_reached_filed) as filed_cases,
        count(*) filter (where r.has_reached_dispatched) as dispatched_cases,
        count(*) filter (where r.has_reached_disposed) as disposed_cases,
        count(*) filter (where r.has_reached_verified) as verified_cases,
        count(*) filter (where r.has_reached_closed) as closed_cases,
        count(*) filter (where r.is_cancelled) as cancelled_cases,
        count(*) filter (where r.timeline_issue is not null) as cases_with_timeline_issue,
        -- SQLFluff cannot indent a loop that writes columns (off to the end of the file: a few lines)
        -- noqa: disable=LT02
        {% for name, col in durations %}
        {{ round_shown(quantile_continuous('r.' ~ col, 0.5) ~ ' / 60.0', 2) }}
            as median_hours_{{ name }},
        {{ round_shown(quantile_continuous('r.' ~ col, 0.9) ~ ' / 60.0', 2) }}
            as p90_hours_{{ name }}{{ ',' if not loop.last }}
        {% endfor %}

    from reached as r
    inner join periods as p
        on r.reported_at >= p.period_start and r.reported_at < p.period_end
    group by p.period_type, p.period_start, p.period_label, r.street_code, r.source_channel, r.category_code

)

select * from final
