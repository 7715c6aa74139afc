{#
    Where a case or event lies, from its grid code, street and community names (joined to
    int_divisions_flattened as g = its grid, s = its street, cm = its community): the grid's street and
    community when the grid is known, else the named ones. A blank or unknown street / community is the
    '未划分' member (var unassigned_code / unassigned_name), so it is counted under an explicit row and never
    fails a relationship test; a grid code the divisions do not know resolves to null (the reported code is
    kept by the caller).
#}
{% macro resolved_division_columns(row='e') -%}
        coalesce(g.street_code, s.area_code, '{{ var("unassigned_code") }}') as street_code_resolved,
        case when coalesce(g.street_code, s.area_code) is null then '{{ var("unassigned_name") }}'
            else coalesce(g.street_name, {{ row }}.street_name) end as street_name_resolved,
        coalesce(g.community_code, cm.area_code, '{{ var("unassigned_code") }}') as community_code_resolved,
        case when coalesce(g.community_code, cm.area_code) is null then '{{ var("unassigned_name") }}'
            else coalesce(g.community_name, {{ row }}.community_name) end as community_name_resolved,
        g.area_code as grid_code_resolved,
        g.area_code is not null as is_grid_known
{%- endmacro %}

{% macro division_joins(row='e', areas='areas') -%}
    left join {{ areas }} as g on g.area_level = '网格' and {{ row }}.grid_code = g.area_code
    left join {{ areas }} as s on s.area_level = '街道' and {{ row }}.street_name = s.area_name
    left join {{ areas }} as cm
        on cm.area_level = '社区' and {{ row }}.community_name = cm.area_name and cm.street_name = {{ row }}.street_name
{%- endmacro %}

{# One row when any case or grid event lies in the 未划分 member at this level (`street_code` or `community_code`). #}
{% macro unassigned_member_cte(code_column) -%}
unassigned as (

    select 1
    where exists (
        select 1 from {{ ref('int_platform_cases_scheduled') }} where {{ code_column }} = '{{ var("unassigned_code") }}'
    ) or exists (
        select 1 from {{ ref('int_grid_events_resolved') }} where {{ code_column }} = '{{ var("unassigned_code") }}'
    )

)
{%- endmacro %}
