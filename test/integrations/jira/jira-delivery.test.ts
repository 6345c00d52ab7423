import { sqliteSite } from '../../fixtures/store-site.js';
import { jiraDeliveryContract } from './jira-delivery-contract.js';

// The same suite runs on PostgreSQL in jira-delivery-postgres.int.test.ts.
jiraDeliveryContract(() => sqliteSite());
