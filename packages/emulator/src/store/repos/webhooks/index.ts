/**
 * The webhook tables (migration 0011 and the outbox of 0008), one repository per role. Claims are
 * conditional updates or deletes: of several Zemu processes on one PostgreSQL, exactly one wins each
 * piece of work.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../schema.js';
import { WebhookAttemptsRepo } from './attempts.js';
import { WebhookDeliveriesRepo } from './deliveries.js';
import { WebhookFanoutRepo } from './fanout.js';
import { WebhookOutboxRepo } from './outbox.js';
import { WebhookSecretsRepo } from './secrets.js';
import { WebhookSubscriptionsRepo } from './subscriptions.js';

export class WebhooksRepos {
  readonly secrets: WebhookSecretsRepo;
  readonly subscriptions: WebhookSubscriptionsRepo;
  readonly outbox: WebhookOutboxRepo;
  readonly fanout: WebhookFanoutRepo;
  readonly deliveries: WebhookDeliveriesRepo;
  readonly attempts: WebhookAttemptsRepo;

  constructor(db: Kysely<Database>) {
    this.secrets = new WebhookSecretsRepo(db);
    this.subscriptions = new WebhookSubscriptionsRepo(db);
    this.outbox = new WebhookOutboxRepo(db);
    this.fanout = new WebhookFanoutRepo(db);
    this.deliveries = new WebhookDeliveriesRepo(db);
    this.attempts = new WebhookAttemptsRepo(db);
  }
}
