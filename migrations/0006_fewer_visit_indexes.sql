-- Nothing reads visits by their instant: every read of a day or a week goes
-- through `visits_by_date`. The index only cost time on every insert, and
-- rolling a month forward writes tens of thousands of visits.
DROP INDEX visits_by_start;
