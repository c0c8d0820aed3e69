import type { Db } from './db.ts';

/**
 * Queues patients for forecast recomputation, in the caller's unit of work: the queue row commits with the writes
 * that made the forecast stale, or not at all.
 * @param db - the database or the unit of work's transaction.
 * @param patientIds - the patients.
 */
export async function queueForecasts(db: Db, patientIds: string[]): Promise<void> {
  if (!patientIds.length) return;
  await db.query(queueForecastsSql('$1'), [patientIds], { prepareAs: 'queue-forecasts' });
}

/**
 * The statement of {@link queueForecasts}, also a CTE of a write flush.
 * @param ids - the placeholder of the patient-id array parameter.
 * @returns the INSERT.
 */
export function queueForecastsSql(ids: string): string {
  return `INSERT INTO forecast_queue (patient_id) SELECT DISTINCT unnest(${ids}::text[]) ON CONFLICT (patient_id) DO NOTHING`;
}

/**
 * Takes up to `limit` queued patients, oldest first, skipping those another worker holds. Call inside a
 * transaction: if the work then fails, the rollback puts them back.
 * @param db - the transaction.
 * @param limit - batch size.
 * @returns the patient ids.
 */
export async function claimForecasts(db: Db, limit: number): Promise<string[]> {
  const rows = await db.query<{ patient_id: string }>(
    `DELETE FROM forecast_queue WHERE patient_id IN (
       SELECT patient_id FROM forecast_queue ORDER BY queued_at LIMIT $1 FOR UPDATE SKIP LOCKED) RETURNING patient_id`,
    [limit],
  );
  return rows.map((r) => r.patient_id);
}
