-- The scheduler's ledger: one row per (periodic job, tick) that has been enqueued.
--
-- Every worker process runs the scheduler; none is a leader. A tick is enqueued by whoever
-- inserts its row (INSERT … ON CONFLICT DO NOTHING) in the same transaction as the job, so the
-- primary key makes each tick enqueue exactly once however many workers race for it, and a
-- rolled-back enqueue leaves no row (the tick is retried on the next check).
-- Platform table: no workspace, no RLS.
SET LOCAL ROLE vigil_owner;

CREATE TABLE schedule_ticks (
    schedule     text NOT NULL CHECK (length(schedule) BETWEEN 1 AND 200),
    tick         timestamptz NOT NULL,
    enqueued_at  timestamptz NOT NULL DEFAULT now(),
    job_id       bigint,          -- the job enqueued (nil if a pending job with its unique key already existed)
    PRIMARY KEY (schedule, tick)
);

GRANT SELECT, INSERT, DELETE ON schedule_ticks TO vigil_app;
GRANT UPDATE (job_id) ON schedule_ticks TO vigil_app;          -- set once, in the claiming transaction
