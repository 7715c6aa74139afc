-- scope: none — the assessed quarter holding $start, or else the latest before it (quarters of the release)
select quarter_label, quarter_start
from fct_property_assessments
where quarter_start <= $start
group by quarter_label, quarter_start
order by quarter_start desc
limit 1
