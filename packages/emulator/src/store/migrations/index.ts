/**
 * Versioned migrations, applied in name order. Add a new file for every schema change; never edit
 * one that has shipped. Each runs on SQLite and PostgreSQL alike.
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001_initial.js';
import * as m0005 from './0005_oauth_rules.js';
import * as m0007 from './0007_oauth_codes.js';
import * as m0008 from './0008_webhook_events.js';
import * as m0009 from './0009_user_settings.js';
import * as m0010 from './0010_meetings.js';
import * as m0011 from './0011_webhook_delivery.js';
import * as m0012 from './0012_user_counts.js';
import * as m0013 from './0013_state_snapshots.js';
import * as m0016 from './0016_retention.js';
import * as m0017 from './0017_shared_state.js';
import * as m0018 from './0018_meeting_instances.js';
import * as m0019 from './0019_registrants.js';
import * as m0021 from './0021_lifecycle_sweep.js';
import * as m0022 from './0022_recordings.js';

export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0005_oauth_rules': m0005,
  '0007_oauth_codes': m0007,
  '0008_webhook_events': m0008,
  '0009_user_settings': m0009,
  '0010_meetings': m0010,
  '0011_webhook_delivery': m0011,
  '0012_user_counts': m0012,
  '0013_state_snapshots': m0013,
  '0016_retention': m0016,
  '0017_shared_state': m0017,
  '0018_meeting_instances': m0018,
  '0019_registrants': m0019,
  '0021_lifecycle_sweep': m0021,
  '0022_recordings': m0022,
};
