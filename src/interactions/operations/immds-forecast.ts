import type { Condition, Immunization, Observation, OperationDefinition, Parameters, ParametersParameter, Patient } from '@medplum/fhirtypes';
import definition from '../../../conformance/OperationDefinition-immds-forecast.json' with { type: 'json' };
import { badRequest, notSupported } from '../../fhir/outcomes.ts';
import { today } from '../../registry/forecast/forecast-service.ts';
import type { OperationHandler } from './registry.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function params(body: unknown): ParametersParameter[] {
  if (body === undefined) return [];
  const p = body as Parameters;
  if (p?.resourceType !== 'Parameters') throw badRequest('$immds-forecast takes a Parameters resource', 'resourceType');
  return p.parameter ?? [];
}

/**
 * `$immds-forecast` (HL7 Immunization Decision Support Forecast IG, ImmDSForecastOperation): evaluates the history
 * and forecasts every vaccine group with the CDC CDSi engine. At system level the patient and history come in the
 * Parameters and need not be stored; at instance level the stored record is used.
 */
export const immdsForecastOperation: OperationHandler = {
  definition: definition as OperationDefinition,
  async handle(req, ctx, target) {
    const service = ctx.services.forecast;
    if (!service) throw notSupported('Forecasting is not configured on this server', 501);
    const input = params(req.body);
    const assessmentParam = input.find((p) => p.name === 'assessmentDate')?.valueDate ?? req.query.find(([k]) => k === 'assessmentDate')?.[1];
    if (assessmentParam !== undefined && !DATE.test(assessmentParam)) throw badRequest('assessmentDate must be YYYY-MM-DD', 'assessmentDate');
    let patient: Patient;
    let immunizations: Immunization[];
    const conditions = input.filter((p) => p.name === 'condition' || p.name === 'observation').map((p) => p.resource as Condition | Observation).filter(Boolean);
    if (target.level === 'instance') {
      patient = await ctx.repo.readResource<Patient>('Patient', target.id as string);
      immunizations = (await service.immunizationsOf(ctx.repo, [patient.id as string])).get(patient.id as string) ?? [];
      conditions.push(...((await service.observationsOf(ctx.repo, [patient.id as string])).get(patient.id as string) ?? []));
    } else {
      if (!assessmentParam) throw badRequest('assessmentDate is required', 'assessmentDate');
      const p = input.find((x) => x.name === 'patient')?.resource;
      if (p?.resourceType !== 'Patient') throw badRequest('The "patient" parameter must hold a Patient', 'patient');
      patient = p;
      immunizations = input.filter((x) => x.name === 'immunization').map((x, i) => {
        if (x.resource?.resourceType !== 'Immunization') throw badRequest(`immunization parameter ${i} must hold an Immunization`, `immunization[${i}]`);
        return x.resource;
      });
    }
    const result = service.forecast(patient, immunizations, conditions, assessmentParam ?? today());
    const out: Parameters = {
      resourceType: 'Parameters',
      parameter: [
        ...result.evaluations.map((e) => ({ name: 'evaluation', resource: e })),
        { name: 'recommendation', resource: result.recommendation },
      ],
    };
    return { status: 200, resource: out };
  },
};
