/**
 * reminder_collector: runs the volunteer collection server (collector/) and publishes each
 * reminder on `reminder` (source `collector`, speaker the volunteer's pseudonym) once it is
 * committed to the database, so a running pipeline can react to it as to a typed one.
 */
import { QosProfiles } from '../graph/api';
import { declareParameters, type NodeDefinition, type ParameterSchema } from '../graph/node-definition';
import { openCollection, settingsFrom } from '../collector/session';
import { DEFAULT_SETTINGS, SETTING_RANGES } from '../collector/settings';

const d = DEFAULT_SETTINGS;
const parameters = {
  database: { defaultValue: d.database, descriptor: { type: 'string', description: 'SQLite database of the collection; audio and clips go beside it', readOnly: true } },
  host: { defaultValue: d.host, descriptor: { type: 'string', description: 'Address the web page listens on (0.0.0.0 for phones on the local network)', readOnly: true } },
  port: { defaultValue: d.port, descriptor: { type: 'integer', description: 'Port of the web page; 0 takes a free one', range: SETTING_RANGES.port, readOnly: true } },
  scenarios: { defaultValue: d.scenarios.join(','), descriptor: { type: 'string', description: 'Comma-separated scenarios of the clips', readOnly: true } },
  mistakes: { defaultValue: d.mistakes.join(','), descriptor: { type: 'string', description: 'Comma-separated mistakes the clips show', readOnly: true } },
  first_seed: { defaultValue: d.firstSeed, descriptor: { type: 'integer', description: 'Seed of the first episode of each scenario and mistake', range: SETTING_RANGES.firstSeed, readOnly: true } },
  seeds: { defaultValue: d.seeds, descriptor: { type: 'integer', description: 'Episodes per scenario and mistake', range: SETTING_RANGES.seeds, readOnly: true } },
  fps: { defaultValue: d.fps, descriptor: { type: 'integer', description: 'Clip frames per second of sim time', range: SETTING_RANGES.fps, readOnly: true } },
  max_upload_bytes: { defaultValue: d.maxUploadBytes, descriptor: { type: 'integer', description: 'Largest audio upload accepted, bytes', range: SETTING_RANGES.maxUploadBytes, readOnly: true } },
  origins: { defaultValue: '', descriptor: { type: 'string', description: 'Comma-separated extra origins allowed for the page (a reverse proxy)', readOnly: true } },
  consent_file: { defaultValue: '', descriptor: { type: 'string', description: 'Consent text file shown to volunteers; empty for the built-in text', readOnly: true } },
} as const satisfies ParameterSchema;

export const reminderCollector: NodeDefinition = {
  executable: 'reminder_collector',
  defaultName: 'reminder_collector',
  description: 'Web page that collects reminders from volunteers watching simulated clips; publishes each one saved',
  parameters,

  async start(node, context) {
    const p = declareParameters(node, parameters);
    const settings = settingsFrom({
      database: p.database, host: p.host, port: p.port, scenarios: p.scenarios, mistakes: p.mistakes, firstSeed: p.first_seed,
      seeds: p.seeds, fps: p.fps, maxUploadBytes: p.max_upload_bytes, origins: p.origins, consentFile: p.consent_file,
    });
    const reminders = node.createPublisher('h2r_interfaces/msg/Reminder', 'reminder', QosProfiles.standard);
    const { collector, banner } = await openCollection(settings, {
      log: (level, message) => (level === 'warn' ? node.logger.warn(message) : node.logger.info(message)),
      progress: (done, total, note) => node.logger.debug(`clips ${done}/${total}: ${note}`),
      onReminder: (r) => {
        reminders.publish({ header: { stamp: node.now(), frame_id: '' }, text: r.text, source: 'collector', speaker: r.volunteer, word_confidences: [] });
      },
    });
    for (const line of banner) context.print(line);
    return {
      async stop() {
        await collector.close();
      },
    };
  },
};
