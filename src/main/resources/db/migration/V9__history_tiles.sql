-- Summaries of a history's curve by tiles of 1,024 positions (HistoryTiles): a chart of a long
-- history reads about a thousand of them instead of every record. Written by the reads that
-- first need them; deleted with the records they summarise by every cut of the history, each of
-- which also counts itself in scheduler.history_cuts so that a read that summarised records a
-- cut then deleted stores nothing.
-- Portable SQL: runs unchanged on H2 2.x and PostgreSQL 15/16.
ALTER TABLE scheduler ADD COLUMN history_cuts BIGINT DEFAULT 0 NOT NULL;

CREATE TABLE scheduler_step_tile (
    scheduler_id BIGINT        NOT NULL,
    -- positions tile * 1024 to (tile + 1) * 1024, exclusive
    tile         BIGINT        NOT NULL,
    records      BIGINT        NOT NULL,
    -- the records M4 keeps of the tile: position,lr,metric;... (at most six)
    candidates   VARCHAR(1024) NOT NULL,
    CONSTRAINT pk_scheduler_step_tile PRIMARY KEY (scheduler_id, tile)
);
