import { sqliteSite } from '../../fixtures/store-site.js';
import { slackDeliveryContract } from './slack-delivery-contract.js';

// The same suite runs on PostgreSQL in slack-delivery-postgres.int.test.ts.
slackDeliveryContract(() => sqliteSite());
