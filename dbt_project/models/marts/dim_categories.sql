with

case_categories as (

    select * from {{ ref('case_categories') }}

),

deadlines as (

    select * from {{ ref('case_category_deadlines') }}

),

departments as (

    select * from {{ ref('departments') }}

),

event_categories as (

    select * from {{ ref('grid_event_categories') }}

),

platform as (

    select
        'platform:' || k.category_code as category_key,
        '城运平台' as category_system,
        k.category_code,
        k.problem_type,
        k.category_major,
        k.category_minor,
        k.default_department_code,
        d.department_name as default_department_name,
        max(dl.deadline_value) filter (where dl.urgency = '一般') as deadline_value_normal,
        max(dl.deadline_unit) filter (where dl.urgency = '一般') as deadline_unit_normal,
        max(dl.deadline_value) filter (where dl.urgency = '较急') as deadline_value_pressing,
        max(dl.deadline_unit) filter (where dl.urgency = '较急') as deadline_unit_pressing,
        max(dl.deadline_value) filter (where dl.urgency = '紧急') as deadline_value_urgent,
        max(dl.deadline_unit) filter (where dl.urgency = '紧急') as deadline_unit_urgent

    from case_categories as k
    left join departments as d on k.default_department_code = d.department_code
    left join deadlines as dl on k.category_code = dl.category_code
    group by all

),

grid as (

    select
        'grid:' || category_major || '/' || category_minor as category_key,
        '网格事件' as category_system,
        null::string as category_code,
        null::string as problem_type,
        category_major,
        category_minor,
        null::string as default_department_code,
        null::string as default_department_name,
        null::integer as deadline_value_normal,
        null::string as deadline_unit_normal,
        null::integer as deadline_value_pressing,
        null::string as deadline_unit_pressing,
        null::integer as deadline_value_urgent,
        null::string as deadline_unit_urgent

    from event_categories

),

final as (

    select * from platform
    union all
    select * from grid

)

select * from final
