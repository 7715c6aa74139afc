-- scope: none — the release's schema, for the workbench's browser
select table_name, column_name, data_type
from information_schema.columns
where table_schema = 'main'
  and (table_name like 'dim\_%' escape '\' or table_name like 'fct\_%' escape '\'
       or table_name like 'mart\_%' escape '\')
order by table_name, ordinal_position
