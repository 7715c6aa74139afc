-- The case-flow counts and rates (BRIEF §4) per period and 案件类别 (常规 / 专项 / 简易 …), city-wide: some
-- bulletins publish a rate over one class only (郑州's 延期率 = 延期数 / 应结案数 of 常规案件). Cases whose
-- export names no class are one row, '未分类'.

with

flow as (

    select * from {{ ref('int_case_flow_aggregated') }}

),

periods as (

    select * from {{ ref('int_periods_enumerated') }}

),

classes as (

    select distinct coalesce(case_class, '{{ var("unclassified_name") }}') as case_class from flow

),

summed as (

    select
        p.period_type,
        p.period_start,
        p.period_label,
        p.is_complete_period,
        k.case_class,
        {{ case_flow_counts('f') }}

    from periods as p
    cross join classes as k
    left join flow as f
        on f.period_type = p.period_type
            and f.period_start = p.period_start
            and coalesce(f.case_class, '{{ var("unclassified_name") }}') = k.case_class
    group by all

),

final as (

    select
        *,
        {{ case_flow_rates() }}

    from summed

)

select * from final
