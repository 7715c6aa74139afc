-- scope: none — masked quarantine samples (data admins)
-- Sample rows of one table and reason: only the masked record, never the lake's own columns. The
-- detail quotes the raw value of a column that failed to parse, so it is shown only for row checks
-- (no column) and for columns known not to be personal data ($public_columns: '<table>.<column>').
select file, source_row, "column",
       case when "column" is null or list_contains($public_columns, source || '/' || entity || '.' || "column")
            then detail else '***' end as detail,
       record, loaded_at
from read_parquet($files, union_by_name = true)
where source || '/' || entity = $lake_table and reason = $reason
order by loaded_at desc, file, source_row
limit $limit
