-- Applies the pending counter lines (stats_fold in the prelude).
stats_fold()
return 'ok'
