-- scope: none — data health is the data admins' page (every source, the whole city)
select
    lake_table, source_name, entity_name, table_label, lake_rows,
    latest_record_at, record_time_basis,
    date_diff('day', cast(latest_record_at as date),
              cast(current_timestamp at time zone 'Asia/Shanghai' as date)) as lag_days_to_today,
    lag_hours_to_data_clock, data_clock_at,
    files_loaded, files_rejected, rows_read, rows_accepted, rows_quarantined_in_manifest, rows_duplicate,
    rows_updated, last_load_at, last_rejected_file, last_reject_reason, quarantined_rows, quarantine_summary,
    flagged_rows, flag_summary
from mart_data_health
order by source_name, entity_name
