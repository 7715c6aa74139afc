{#
    小事不出网格、难事不出社区: the level rates of the grid events closed, over summed counts
    (closed_events, grid_level_events, community_level_events, whistled_events):
      网格自办率 = 网格自办 / 办结; 难事不出社区率 = (网格自办 + 社区办理) / 办结; 吹哨率 = 吹哨 / 办结.
#}
{% macro resolution_level_rates() -%}
        {{ safe_ratio('grid_level_events', 'closed_events') }} as grid_self_resolution_rate,
        {{ safe_ratio('grid_level_events + community_level_events', 'closed_events') }} as within_community_rate,
        {{ safe_ratio('whistled_events', 'closed_events') }} as whistle_rate
{%- endmacro %}


{# The intake funnel's stages (1 上报 … 7 结案) as rows (stage_no, stage_code), for a from / join. #}
{% macro funnel_stage_rows() -%}
    (
        select * from (
            values
            (1, 'reported'), (2, 'accepted'), (3, 'filed'), (4, 'dispatched'), (5, 'disposed'), (6, 'verified'),
            (7, 'closed')
        ) as s (stage_no, stage_code)
    )
{%- endmacro %}
