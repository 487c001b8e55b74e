-- Tiles carry their candidates' records (HistoryTiles): what a downsampled history sends of each
-- record (param groups, time, attempt, units consumed), so a chart made of whole tiles reads no
-- record but those of its two partial end tiles. Null where those records are too long to copy
-- (HistoryTiles.MAX_ENTRIES_CHARACTERS): such a tile's chosen records are looked up as before.
-- The tiles stored so far are a cache that reads re-make: they are dropped rather than converted.
-- Portable SQL: runs unchanged on H2 2.x and PostgreSQL 15/16.
DELETE FROM scheduler_step_tile;

ALTER TABLE scheduler_step_tile ADD COLUMN entries VARCHAR;
