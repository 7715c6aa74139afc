-- scope: none — the data clock is the release's
select max(as_of_at) as as_of_at from mart_command_center_kpis
