-- Schedules in tokens or samples (issue 15): the units the steps consumed so far, the
-- position such a schedule evaluates its lr at; null for a schedule in steps. Also in the
-- state document (its consumed key), copied here so GET .../lr and the history read it
-- without the document. Portable SQL: runs unchanged on H2 2.x and PostgreSQL 15/16.
ALTER TABLE scheduler ADD COLUMN consumed BIGINT;
ALTER TABLE scheduler_step ADD COLUMN consumed BIGINT;
