-- scope: none — row count of lake files
select count(*) as rows from read_parquet($files)
