{#
    Deadline arithmetic on the Chinese working calendar (seeds/work_calendar.csv, indexed by
    int_work_calendar_indexed).

    add_work_time(ts, amount, unit):
      unit = 'hours'    -> ts + amount clock hours (time limits of hours run round the clock:
                           urgent matters do not wait for Monday);
      unit = 'workdays' -> the same clock time on the amount-th working day after ts's day
                           (开始的当日不计入: the day the clock starts is not counted); holidays
                           are skipped and 调休 make-up Saturdays/Sundays count as working days.
      Null when unit or amount is null or the calendar does not cover the day.
#}
{% macro add_work_time(ts, amount, unit) -%}
    {{ return(adapter.dispatch('add_work_time', 'gridpulse')(ts, amount, unit)) }}
{%- endmacro %}

{% macro default__add_work_time(ts, amount, unit) -%}
    case
        when ({{ unit }}) = 'hours' then
            ({{ ts }}) + to_minutes(cast(round(({{ amount }}) * 60) as bigint))
        when ({{ unit }}) = 'workdays' then (
            select cast(wd_to.calendar_date as timestamp) + (({{ ts }}) - cast(cast({{ ts }} as date) as timestamp))
            from {{ ref('int_work_calendar_indexed') }} as wd_from
            inner join {{ ref('int_work_calendar_indexed') }} as wd_to
                on wd_to.workday_seq = wd_from.workday_seq + ({{ amount }})
                and wd_to.is_workday
            where wd_from.calendar_date = cast({{ ts }} as date)
        )
    end
{%- endmacro %}


{# Working days strictly after start's day up to and including end's day (0 when end is on the same day). #}
{% macro working_days_between(start_ts, end_ts) -%}
    {{ return(adapter.dispatch('working_days_between', 'gridpulse')(start_ts, end_ts)) }}
{%- endmacro %}

{% macro default__working_days_between(start_ts, end_ts) -%}
    (
        (select wd_e.workday_seq from {{ ref('int_work_calendar_indexed') }} as wd_e
         where wd_e.calendar_date = cast({{ end_ts }} as date))
        - (select wd_s.workday_seq from {{ ref('int_work_calendar_indexed') }} as wd_s
           where wd_s.calendar_date = cast({{ start_ts }} as date))
    )
{%- endmacro %}


{#
    Spark runs the correlated lookups above as a join per row (minutes for a small city): there the
    calendar is read once, as two arrays (uncorrelated scalar subqueries), and a day is an index —
    the workday_seq of each calendar day by its offset from the first (the calendar lists every day),
    the date of each working day by its workday_seq. Same results, nulls where the calendar does not
    cover the day.
#}
{% macro spark__workday_seq_of(day) -%}
    {%- set calendar = ref('int_work_calendar_indexed') -%}
    {%- set offset -%}datediff({{ day }}, (select min(calendar_date) from {{ calendar }})){%- endset -%}
    case when {{ offset }} >= 0 then try_element_at(
        (select transform(array_sort(collect_list(struct(calendar_date, workday_seq))), d -> d.workday_seq)
         from {{ calendar }}),
        cast({{ offset }} + 1 as int)
    ) end
{%- endmacro %}

{% macro spark__add_work_time(ts, amount, unit) -%}
    {%- set calendar = ref('int_work_calendar_indexed') -%}
    {#- the position of the target working day among the calendar's working days (1 = the first) -#}
    {%- set position -%}
        ({{ spark__workday_seq_of('cast(' ~ ts ~ ' as date)') }} + ({{ amount }})
         - (select min(workday_seq) from {{ calendar }} where is_workday) + 1)
    {%- endset -%}
    case
        when ({{ unit }}) = 'hours' then
            ({{ ts }}) + make_dt_interval(0, 0, cast(round(({{ amount }}) * 60) as bigint))
        when ({{ unit }}) = 'workdays' and {{ position }} > 0 then
            cast(try_element_at(
                (select array_sort(collect_list(calendar_date)) from {{ calendar }} where is_workday),
                cast({{ position }} as int)
            ) as timestamp) + (({{ ts }}) - cast(cast({{ ts }} as date) as timestamp))
    end
{%- endmacro %}

{% macro spark__working_days_between(start_ts, end_ts) -%}
    ({{ spark__workday_seq_of('cast(' ~ end_ts ~ ' as date)') }} - {{ spark__workday_seq_of('cast(' ~ start_ts ~ ' as date)') }})
{%- endmacro %}
