-- Scale mode of bench/run.sh: give each of the 100,000 schedulers scale-0 .. scale-99999 the 100
-- recorded steps of the template of its kind (tpl-0 .. tpl-3, same kind, groups and metrics, stepped
-- through the API), so that the database holds exactly what 10,000,000 steps through the API would
-- have written, in minutes instead of hours. Portable: runs on PostgreSQL (psql) and H2 (RunScript).
-- Follows the schema of src/main/resources/db/migration/ (V1, V2).

INSERT INTO scheduler_step (scheduler_id, last_epoch, position, metric, state_json, param_groups_json, recorded_at)
SELECT s.id, t.last_epoch, t.position, t.metric, t.state_json, t.param_groups_json, t.recorded_at
FROM scheduler s
JOIN scheduler tpl
  ON tpl.public_id = CONCAT('tpl-', CAST(MOD(CAST(SUBSTRING(s.public_id FROM 7) AS INTEGER), 4) AS VARCHAR(8)))
JOIN scheduler_step t ON t.scheduler_id = tpl.id AND t.position > 0
WHERE s.public_id LIKE 'scale-%';

UPDATE scheduler SET (last_epoch, position, state_json, param_groups_json, updated_at) = (
    SELECT tpl.last_epoch, tpl.position, tpl.state_json, tpl.param_groups_json, tpl.updated_at
    FROM scheduler tpl
    WHERE tpl.public_id = CONCAT('tpl-', CAST(MOD(CAST(SUBSTRING(scheduler.public_id FROM 7) AS INTEGER), 4) AS VARCHAR(8))))
WHERE public_id LIKE 'scale-%';

UPDATE scheduler SET version = version + 1 WHERE public_id LIKE 'scale-%';
