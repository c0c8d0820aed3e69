/**
 * Loads a CDSi supporting-data release from a directory (the only I/O of the forecast module).
 * A new CDC release is a data drop: point this at the new directory.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { parseAntigen } from './parse-antigen.ts';
import { buildScheduleData } from './parse-schedule.ts';
import type { AntigenData, SupportingData } from './supporting-data-types.ts';
import type { XmlNode } from './xml-node.ts';

function parseXml(path: string): XmlNode {
  const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, processEntities: true });
  return parser.parse(readFileSync(path, 'utf8')) as XmlNode;
}

/**
 * Parses every `AntigenSupportingData*.xml` file and `ScheduleSupportingData.xml` in a directory and
 * precomputes the lookup indexes used by the engine.
 * @param dir - the directory holding one supporting-data release.
 * @returns the supporting data.
 */
export function loadSupportingData(dir: string): SupportingData {
  const files = readdirSync(dir).filter((f) => f.toLowerCase().endsWith('.xml'));
  const antigens = new Map<string, AntigenData>();
  let schedule: XmlNode | undefined;
  for (const file of files) {
    const root = parseXml(join(dir, file));
    const antigenRoot = root['antigenSupportingData'];
    if (antigenRoot && typeof antigenRoot === 'object' && !Array.isArray(antigenRoot)) {
      const antigen = parseAntigen(antigenRoot);
      antigens.set(antigen.name, antigen);
    }
    const scheduleRoot = root['scheduleSupportingData'];
    if (scheduleRoot && typeof scheduleRoot === 'object' && !Array.isArray(scheduleRoot)) schedule = scheduleRoot;
  }
  if (!schedule) throw new Error(`ScheduleSupportingData.xml not found in ${dir}`);
  return buildScheduleData(schedule, antigens);
}
