import type { Immunization, Observation, Resource } from '@medplum/fhirtypes';
import { storedRecommendationId } from '../registry/forecast/forecast-service.ts';
import type { FhirContext } from './types.ts';

/**
 * The patients whose stored forecast a write invalidates: the patient of an Immunization or of an Observation
 * (evidence of immunity, contraindications), or the Patient itself (birth date and sex drive CDSi).
 * @param resource - the written (or deleted) resource.
 * @returns patient ids.
 */
export function patientsAffected(resource: Resource): string[] {
  if (resource.resourceType === 'Patient') return resource.id ? [resource.id] : [];
  if (resource.resourceType === 'Immunization' || resource.resourceType === 'Observation') {
    const ref = resource.resourceType === 'Immunization' ? (resource as Immunization).patient?.reference : (resource as Observation).subject?.reference;
    const id = ref ? /^(?:.*\/)?Patient\/([^/]+)$/.exec(ref)?.[1] : undefined;
    return id ? [id] : [];
  }
  return [];
}

/**
 * Keeps stored ImmunizationRecommendations current ("recomputed whenever their immunizations change"): a write
 * queues the affected patients in its own transaction (a transaction bundle queues them once, at its end) and the
 * ForecastWorker recomputes them in the background.
 * @param ctx - the interaction context (its repository is in the write's transaction).
 * @param resource - the written resource.
 * @param deleted - true when the resource was deleted.
 */
export async function afterWrite(ctx: FhirContext, resource: Resource, deleted = false): Promise<void> {
  const service = ctx.services.forecast;
  if (!service) return;
  const ids = patientsAffected(resource);
  if (!ids.length) return;
  if (deleted && resource.resourceType === 'Patient') {
    await ctx.repo.deleteResource('ImmunizationRecommendation', storedRecommendationId(resource.id as string));
    return;
  }
  if (ctx.pendingForecasts) {
    for (const id of ids) ctx.pendingForecasts.add(id);
    return;
  }
  await ctx.repo.queueForecasts(ids);
}
