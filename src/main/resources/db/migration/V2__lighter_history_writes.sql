-- Fewer index pages for each step to write. H2 rewrites every B-tree page a commit touches, and a
-- durable step commits at once, so each index on scheduler_step is paid for by every step.
-- Portable SQL: runs unchanged on H2 2.x and PostgreSQL 15/16.

-- "The latest record of epoch N" (resume) is a range of uk_scheduler_step_position instead:
-- a record's last_epoch is floor(position).
DROP INDEX ix_scheduler_step_epoch;

-- H2 gives a foreign key an index of its own, on scheduler_id alone, even where a unique
-- constraint starting with that column exists. Deleting a scheduler now deletes its history
-- itself, in the same transaction, after locking the scheduler's row (so no step can add a record
-- in between); steps add records only for a row they hold locked.
ALTER TABLE scheduler_step DROP CONSTRAINT fk_scheduler_step_scheduler;
