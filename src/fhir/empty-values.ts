import type { OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';

/**
 * Finds empty values, which FHIR JSON forbids (https://hl7.org/fhir/R4/json.html: "empty strings, objects and arrays
 * are not allowed"; primitive strings match `[ \r\n\t\S]+`). The base validator misses some nested cases.
 * @param resource - the resource.
 * @returns one issue per empty value, with its FHIRPath location.
 */
export function findEmptyValues(resource: Resource): OperationOutcomeIssue[] {
  const issues: OperationOutcomeIssue[] = [];
  const walk = (node: unknown, path: string): void => {
    if (typeof node === 'string') {
      if (node.trim() === '') issues.push(empty(path, 'Empty or blank string'));
    } else if (Array.isArray(node)) {
      if (node.length === 0) issues.push(empty(path, 'Empty array'));
      node.forEach((n, i) => {
        if (n !== null) walk(n, `${path}[${i}]`);
      });
    } else if (node && typeof node === 'object') {
      const entries = Object.entries(node as Record<string, unknown>);
      if (entries.length === 0) issues.push(empty(path, 'Empty object'));
      for (const [k, v] of entries) {
        walk(v, `${path}.${k.startsWith('_') ? k.slice(1) : k}`);
      }
    }
  };
  walk(resource, resource.resourceType);
  return issues;
}

function empty(expression: string, text: string): OperationOutcomeIssue {
  return { severity: 'error', code: 'structure', details: { text: `${text} (FHIR JSON does not allow empty values)` }, expression: [expression] };
}
