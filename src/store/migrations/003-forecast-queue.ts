/**
 * Patients whose stored forecast must be recomputed. Writes add to it in their own transaction (cheap and
 * durable); a background worker claims batches with SKIP LOCKED, so any number of app nodes can share the work and
 * a crash never loses a pending recomputation.
 */
export const sql = `
CREATE TABLE forecast_queue (
  patient_id text PRIMARY KEY,
  queued_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX forecast_queue_time_idx ON forecast_queue (queued_at);
`;
