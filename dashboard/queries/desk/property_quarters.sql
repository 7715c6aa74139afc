-- scope: none — the quarters of the release
select distinct quarter_label, quarter_start from fct_property_assessments order by quarter_start desc
