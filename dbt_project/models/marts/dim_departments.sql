with

departments as (

    select * from {{ ref('departments') }}

),

categories as (

    select default_department_code, count(*) as default_category_count
    from {{ ref('case_categories') }}
    group by 1

),

final as (

    select
        d.department_code,
        d.department_name,
        d.department_type,
        d.department_type = '指挥协调' as is_dispatcher,
        coalesce(c.default_category_count, 0) as default_category_count

    from departments as d
    left join categories as c on d.department_code = c.default_department_code

)

select * from final
