import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../interactions/services.ts';
import { escapeXml } from './soap-envelope.ts';

const DIR = join(PROJECT_ROOT, 'conformance', 'hl7');

/**
 * The CDC IIS schema (`cdc-iis-2011.xsd`) as shipped.
 * @returns the XSD text.
 */
export function readCdcSchema(): string {
  return readFileSync(join(DIR, 'cdc-iis-2011.xsd'), 'utf8');
}

/**
 * The CDC IIS WSDL (urn:cdc:iisb:2011) as this server publishes it: the schema inlined in `types` (so a client needs
 * one fetch and no relative `schemaLocation` resolution) and the SOAP 1.2 service address set to this server.
 * @param endpoint - the public URL of the SOAP endpoint (`${BASE_URL}/hl7/soap`).
 * @returns the WSDL text.
 */
export function buildWsdl(endpoint: string): string {
  const wsdl = readFileSync(join(DIR, 'cdc-iis.wsdl'), 'utf8');
  const schema = readCdcSchema().replace(/^<\?xml[^>]*\?>\s*/, '');
  return wsdl
    .replace(/<xsd:schema>\s*<xsd:import [^>]*\/>\s*<\/xsd:schema>/, schema)
    .replace(/(<soap12:address location=")[^"]*("\s*\/>)/, `$1${escapeXml(endpoint)}$2`);
}
