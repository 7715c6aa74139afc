case $dim when 'street' then street_name
        when 'department' then handling_department_name
        when 'source' then source_channel
        when 'category' then category_major
        else '全部' end
