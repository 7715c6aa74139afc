-- The reference departments, plus every agency a case export names that the reference table does not
-- know (a 311 export's NYPD, DSNY …), with its name as code.

with

reference_departments as (

    select *, 'reference' as department_source from {{ ref('departments') }}

),

export_departments as (

    select distinct
        c.department_name as department_code,
        c.department_name,
        '外部机构' as department_type,
        'export' as department_source
    from {{ ref('stg_platform__cases') }} as c
    anti join reference_departments as r on c.department_name = r.department_name
    where c.department_name is not null

),

departments as (

    select * from reference_departments
    {{ union_all_by_name() }}
    select * from export_departments

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
        coalesce(c.default_category_count, 0) as default_category_count,
        d.department_source

    from departments as d
    left join categories as c on d.department_code = c.default_department_code

)

select * from final
