greatest(1, case when is_accepted then 2 else 0 end, case when is_filed then 3 else 0 end,
         case when is_dispatched then 4 else 0 end, case when is_disposed then 5 else 0 end,
         case when is_verified then 6 else 0 end, case when is_closed then 7 else 0 end)
