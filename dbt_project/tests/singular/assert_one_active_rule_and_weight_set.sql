-- Exactly one active 红/黑榜 rule and one active 三率 weight set.
select 'property_list_rule' as seed, count(*) as active from {{ ref('property_list_rule') }} where is_active
having count(*) <> 1
union all
select 'evaluation_weights', count(distinct weight_set) from {{ ref('evaluation_weights') }} where is_active
having count(distinct weight_set) <> 1
