-- Caredesk schema 19: `visits_by_date` in (date, id) order, whatever the
-- visit's status. It ran (date, status, id), so a day read its cancelled
-- visits first. A visit cancelled in a week kept in memory stays where it
-- was, so the kept week and a fresh read of the same week disagreed on the
-- order of that day's visits. In (date, id) order a visit's place never
-- depends on its status. Status stays in the index: readers that want
-- planned visits only filter on it there, without reading the row.
DROP INDEX visits_by_date;
CREATE INDEX visits_by_date ON visits (
    local_date, id, status, client_id, package_id, starts_at, duration_min, carers_required,
    short_task, time_critical, flex_min, required_skills, time_note, cancel_reason, deleted_at
) WHERE deleted_at IS NULL;
