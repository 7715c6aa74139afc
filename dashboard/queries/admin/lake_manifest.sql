-- scope: none — the lake's load log (data admins)
select
    coalesce(source || '/' || entity, '(unrecognised)') as lake_table,
    file, status, reason, format, encoding, profile,
    rows_read, rows_accepted, rows_quarantined, rows_duplicate, rows_updated,
    rows_read = rows_accepted + rows_quarantined + rows_duplicate as rows_add_up,
    size_bytes, loaded_at, seconds, sha256
from read_parquet($files)
order by lake_table, loaded_at desc, file
