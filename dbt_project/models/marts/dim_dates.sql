with

calendar as (

    select * from {{ ref('int_work_calendar_indexed') }}

),

final as (

    select
        calendar_date as date_day,
        year(calendar_date) as year_number,
        quarter(calendar_date) as quarter_number,
        month(calendar_date) as month_number,
        day(calendar_date) as day_of_month,
        {{ iso_day_of_week('calendar_date') }} as iso_day_of_week,
        {{ list_element(
            list_of(["'周一'", "'周二'", "'周三'", "'周四'", "'周五'", "'周六'", "'周日'"]), iso_day_of_week('calendar_date')
        ) }}
            as day_name_cn,
        date_trunc('month', calendar_date)::date as month_start,
        date_trunc('quarter', calendar_date)::date as quarter_start,
        {{ format_datetime('calendar_date', '%Y-%m') }} as month_label,
        year(calendar_date) || 'Q' || quarter(calendar_date) as quarter_label,
        {{ iso_day_of_week('calendar_date') }} >= 6 as is_weekend,
        is_workday,
        is_holiday,
        holiday_name,
        is_makeup_workday,
        workday_seq

    from calendar

)

select * from final
