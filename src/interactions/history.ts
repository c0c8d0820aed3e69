import type { Bundle, BundleEntry, BundleLink } from '@medplum/fhirtypes';
import { badRequest } from '../fhir/outcomes.ts';
import { dateRange } from '../fhir/search/date-range.ts';
import { requireType } from './common.ts';
import type { FhirContext, FhirRequest, FhirResponse } from './types.ts';

/**
 * Instance, type and system history with `_since`, `_count` and paging (https://hl7.org/fhir/R4/http.html#history).
 * Deletions appear as entries without a resource whose request is a DELETE.
 * @param req - request.
 * @param ctx - context.
 * @param type - resource type (type and instance history).
 * @param id - id (instance history).
 * @returns the history Bundle.
 */
export async function historyInteraction(req: FhirRequest, ctx: FhirContext, type?: string, id?: string): Promise<FhirResponse> {
  if (type) requireType(ctx, type, id ? 'history-instance' : 'history-type');
  const get = (k: string): string | undefined => req.query.find(([n]) => n === k)?.[1];
  const countRaw = get('_count');
  const offsetRaw = get('_offset');
  const since = get('_since');
  if (countRaw !== undefined && !/^\d+$/.test(countRaw)) throw badRequest('_count must be a non-negative integer', '_count');
  if (offsetRaw !== undefined && !/^\d+$/.test(offsetRaw)) throw badRequest('_offset must be a non-negative integer', '_offset');
  if (since !== undefined && !dateRange(since)) throw badRequest(`_since must be an instant, got "${since}"`, '_since');
  const count = Math.min(Number(countRaw ?? 50), 1000);
  const offset = Number(offsetRaw ?? 0);
  // Pin later pages to the moment of the first one so new versions do not shift them.
  const before = get('_before') ?? new Date().toISOString();
  if (id) await ctx.repo.readResourceText(type as string, id).catch((e: { status?: number }) => {
    if (e.status !== 410) throw e;
  });
  const page = await ctx.repo.history({
    resourceTypes: type ? [type] : ctx.services.resourceTypes.types(),
    ...(id ? { id } : {}),
    ...(since ? { since: dateRange(since)?.low } : {}),
    before,
    count,
    offset,
  });
  const base = ctx.services.fhirBaseUrl;
  const path = [type, id, '_history'].filter(Boolean).join('/');
  const qs = (o: number): string =>
    new URLSearchParams([
      ...(since ? [['_since', since]] : []),
      ['_count', String(count)],
      ['_before', before],
      ...(o ? [['_offset', String(o)]] : []),
    ] as [string, string][]).toString();
  const links: BundleLink[] = [{ relation: 'self', url: `${base}/${path}?${qs(offset)}` }];
  if (offset + count < page.total) links.push({ relation: 'next', url: `${base}/${path}?${qs(offset + count)}` });
  if (offset > 0) links.push({ relation: 'previous', url: `${base}/${path}?${qs(Math.max(0, offset - count))}` });
  const entry: BundleEntry[] = page.entries.map((e) => ({
    fullUrl: `${base}/${e.resourceType}/${e.id}`,
    ...(e.resource ? { resource: e.resource } : {}),
    request: {
      method: e.method as 'POST' | 'PUT' | 'PATCH' | 'DELETE',
      url: e.method === 'POST' ? e.resourceType : `${e.resourceType}/${e.id}`,
    },
    response: {
      status: e.deleted ? '204' : e.versionId === 1 ? '201' : '200',
      etag: `W/"${e.versionId}"`,
      lastModified: e.lastUpdated,
    },
  }));
  const bundle: Bundle = { resourceType: 'Bundle', type: 'history', total: page.total, link: links, ...(entry.length ? { entry } : {}) };
  return { status: 200, resource: bundle };
}
