-- Every metric seeds/ranking_metrics asks for is one the warehouse computes (a typo would silently drop it).
select scope, metric_code
from {{ ref('ranking_metrics') }}
where metric_code not in (
    {%- for code in rankable_metric_codes() %}'{{ code }}'{{ ', ' if not loop.last }}{% endfor -%}
)
