-- The working calendar with a running count of working days, for working-day arithmetic:
-- the n-th working day after day d is the day whose workday_seq = workday_seq(d) + n and is a workday.

with

calendar as (

    select * from {{ ref('work_calendar') }}

),

indexed as (

    select
        date as calendar_date,
        is_workday,
        is_holiday,
        nullif(holiday_name, '') as holiday_name,
        is_makeup_workday,
        sum(case when is_workday then 1 else 0 end) over (
            order by date rows between unbounded preceding and current row
        ) as workday_seq

    from calendar

)

select * from indexed
