import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../interactions/services.ts';
import { escapeXml, type CdcDialect } from './soap-envelope.ts';

const DIR = join(PROJECT_ROOT, 'conformance', 'hl7');

const FILES: Record<CdcDialect, { wsdl: string; xsd: string }> = {
  '2011': { wsdl: 'cdc-iis.wsdl', xsd: 'cdc-iis-2011.xsd' },
  '2014': { wsdl: 'cdc-iis-2014.wsdl', xsd: 'cdc-iis-2014.xsd' },
};

/**
 * A CDC IIS schema as shipped.
 * @param dialect - 2011 (default) or 2014.
 * @returns the XSD text.
 */
export function readCdcSchema(dialect: CdcDialect = '2011'): string {
  return readFileSync(join(DIR, FILES[dialect].xsd), 'utf8');
}

/**
 * The CDC IIS WSDL (urn:cdc:iisb:2011) as this server publishes it: the schema inlined in `types` (so a client needs
 * one fetch and no relative `schemaLocation` resolution) and the SOAP 1.2 service address set to this server.
 * @param endpoint - the public URL of the SOAP endpoint (`${BASE_URL}/hl7/soap`).
 * @param dialect - 2011 (`cdc-iis.wsdl`, the default) or 2014.
 * @returns the WSDL text.
 */
export function buildWsdl(endpoint: string, dialect: CdcDialect = '2011'): string {
  const wsdl = readFileSync(join(DIR, FILES[dialect].wsdl), 'utf8');
  const schema = readCdcSchema(dialect).replace(/^<\?xml[^>]*\?>\s*/, '');
  return wsdl
    .replace(/<xsd:schema[^>]*>\s*<xsd:import [^>]*\/>\s*<\/xsd:schema>/, () => schema)
    .replace(/(<soap12:address location=")[^"]*("\s*\/>)/, (_m, a: string, b: string) => `${a}${escapeXml(endpoint)}${b}`);
}
