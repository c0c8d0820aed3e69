import type { Reference } from '@medplum/fhirtypes';
import type { ParamTypeHandler } from './types.ts';

const RELATIVE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;

/**
 * Splits a reference string into type and id when it is relative (or absolute to any FHIR base), keeping the URL
 * otherwise.
 * @param ref - Reference.reference or a canonical.
 * @returns type, id and URL parts.
 */
export function parseReferenceString(ref: string): { type: string | null; id: string | null; url: string | null } {
  const rel = RELATIVE.exec(ref);
  if (rel) return { type: rel[1] as string, id: rel[2] as string, url: null };
  const abs = /\/([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(ref);
  if (abs && /^https?:\/\//.test(ref)) return { type: abs[1] as string, id: abs[2] as string, url: ref };
  return { type: null, id: null, url: ref };
}

/**
 * Reference parameters (https://hl7.org/fhir/R4/search.html#reference): `id`, `Type/id`, absolute URLs (our own
 * base matches relative references), the `:Type` modifier and `:identifier` (on Reference.identifier).
 */
export const referenceParam: ParamTypeHandler = {
  table: 'sp_reference',
  extract(def, values, rows) {
    for (const tv of values) {
      const v = tv.value as unknown;
      if (typeof v === 'string') {
        const r = parseReferenceString(v);
        rows.reference.push([def.code, r.type, r.id, r.url]);
        continue;
      }
      const ref = v as Reference;
      if (ref.reference && !ref.reference.startsWith('#') && !ref.reference.startsWith('urn:')) {
        const r = parseReferenceString(ref.reference);
        rows.reference.push([def.code, r.type ?? ref.type ?? null, r.id, r.url]);
      }
      if (ref.identifier?.value) {
        rows.token.push([`${def.code}:identifier`, ref.identifier.system ?? null, ref.identifier.value, null, null, null]);
      }
    }
  },
  condition(filter, t, ctx) {
    const p = ctx.params;
    const typeModifier = filter.modifier && /^[A-Z]/.test(filter.modifier) ? filter.modifier : undefined;
    const ors = filter.values.map((raw) => {
      let value = raw;
      const base = `${ctx.baseUrl}/`;
      if (value.startsWith(base)) value = value.slice(base.length);
      const rel = RELATIVE.exec(value);
      if (rel) return `(${t}.target_type = ${p.add(rel[1] as string)} AND ${t}.target_id = ${p.add(rel[2] as string)})`;
      if (/^[a-z]+:/.test(value)) return `${t}.target_url = ${p.add(value)}`;
      const typeCond = typeModifier ? ` AND ${t}.target_type = ${p.add(typeModifier)}` : '';
      return `(${t}.target_id = ${p.add(value)}${typeCond})`;
    });
    return ors.length === 1 ? (ors[0] as string) : `(${ors.join(' OR ')})`;
  },
};
