// The published description of the interface (`@truceline/shared/api-description`): kept out
// of the main entry so the web client's bundle does not carry the route table and its texts.
export * from './contract/api-routes.js';
export * from './contract/openapi.js';
export * from './contract/response-schemas.js';
export * from './contract/socket-events.js';
